"""Stripe's transactions take the id a Saleor client knows the gateway by (`saleor.app.payment.stripe`, Saleor's
Stripe app) instead of our own `ocop.payments.stripe`; the test gateway (Saleor's Dummy Payment app) joins."""

from django.db import migrations, models

OLD_STRIPE = "ocop.payments.stripe"
STRIPE = "saleor.app.payment.stripe"


def rename_stripe(apps, schema_editor):
    TransactionItem = apps.get_model("payments", "TransactionItem")
    TransactionItem.objects.using(schema_editor.connection.alias).filter(gateway=OLD_STRIPE).update(gateway=STRIPE)


def rename_stripe_back(apps, schema_editor):
    TransactionItem = apps.get_model("payments", "TransactionItem")
    TransactionItem.objects.using(schema_editor.connection.alias).filter(gateway=STRIPE).update(gateway=OLD_STRIPE)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="transactionitem",
            name="gateway",
            field=models.CharField(
                choices=[
                    ("saleor.app.payment.stripe", "Card (Stripe)"),
                    ("ocop.payments.cash", "Cash at pickup or on delivery"),
                    ("saleor.io.dummy-payment-app", "Test payment (no money moves)"),
                ],
                max_length=64,
                verbose_name="gateway",
            ),
        ),
        migrations.RunPython(rename_stripe, rename_stripe_back),
    ]
