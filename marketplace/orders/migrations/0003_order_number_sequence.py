from django.db import migrations


class Migration(migrations.Migration):
    """Order numbers come from a PostgreSQL sequence: unique, increasing, safe under concurrent checkouts."""

    dependencies = [("orders", "0002_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS orders_order_number_seq START 1000",
            "DROP SEQUENCE IF EXISTS orders_order_number_seq",
        )
    ]
