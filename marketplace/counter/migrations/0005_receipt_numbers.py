from django.db import migrations, models


def number_the_receipts(apps, schema_editor):
    """Each outlet's sales so far, numbered 1, 2, 3… in the order they were made."""
    CounterSale = apps.get_model("counter", "CounterSale")
    last: dict[int, int] = {}
    for sale in CounterSale.objects.order_by("outlet_id", "created_at", "pk").only("pk", "outlet_id"):
        last[sale.outlet_id] = last.get(sale.outlet_id, 0) + 1
        CounterSale.objects.filter(pk=sale.pk).update(number=last[sale.outlet_id])


class Migration(migrations.Migration):
    dependencies = [
        ("counter", "0004_vietqr_at_the_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="countersale",
            name="number",
            field=models.PositiveIntegerField(null=True, verbose_name="receipt number"),
        ),
        migrations.RunPython(number_the_receipts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="countersale",
            name="number",
            field=models.PositiveIntegerField(
                help_text="Consecutive at each outlet, from 1.", verbose_name="receipt number"
            ),
        ),
        migrations.AddConstraint(
            model_name="countersale",
            constraint=models.UniqueConstraint(fields=("outlet", "number"), name="counter_sale_unique_number"),
        ),
    ]
