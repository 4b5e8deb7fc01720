"""The default sales channel, from the settings, so that a fresh deployment (`migrate`, then `sync_registry`)
serves the catalogue without the demo. An existing channel with that slug is left as it is."""

from django.conf import settings
from django.db import migrations

CURRENCY = "VND"  # đồng, whole numbers: the only currency this shop sells in
COUNTRY = "VN"


def create_default_channel(apps, schema_editor):
    Channel = apps.get_model("channel", "Channel")
    Channel.objects.using(schema_editor.connection.alias).get_or_create(
        slug=settings.OCOP_CHANNEL_SLUG,
        defaults={"name": settings.OCOP_CHANNEL_NAME, "currency_code": CURRENCY, "default_country": COUNTRY},
    )


class Migration(migrations.Migration):
    dependencies = [("channel", "0001_initial")]

    # Unapplied, the channel stays: prices and checkouts may refer to it.
    operations = [migrations.RunPython(create_default_channel, migrations.RunPython.noop, elidable=False)]
