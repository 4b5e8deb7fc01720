"""Play the bank-notification service: post a signed credit to the marketplace's bank webhook, as the service does
when money reaches the collection account. For the demo and for trying a deployment's webhook end to end."""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from marketplace.counter.models import CounterSale
from marketplace.orders.models import Order
from marketplace.orders.transfer_reference import reference_for, written
from payments.vietqr.notifications import SIGNATURE_HEADER, sign


class Command(BaseCommand):
    help = (
        "Post a signed bank credit to the bank webhook: --order N pays order N's amount due, --counter-sale N a VietQR "
        "sale at an outlet's counter (or --amount)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--order", type=int, help="The order number the transfer names.")
        parser.add_argument("--counter-sale", type=int, help="The id of a VietQR sale at a counter (OCOP Q<id>).")
        parser.add_argument("--amount", type=int, help="Đồng credited (default: what the order still owes).")
        parser.add_argument("--description", help="The bank's description (default: 'OCOP <order>' and a name).")
        parser.add_argument("--url", default="http://127.0.0.1:8000/payments/bank/webhook/")

    def handle(self, *args: Any, **options: Any) -> None:
        order = Order.objects.filter(number=options["order"]).first() if options["order"] else None
        sale = CounterSale.objects.filter(pk=options["counter_sale"]).first() if options["counter_sale"] else None
        amount = options["amount"] or (order.amount_due if order else None)
        if sale is not None:
            amount = options["amount"] or max(sale.total_amount - sale.transfer_received, 0)
        if not amount:
            raise CommandError("Give --order of an order with money due, --counter-sale of a VietQR sale, or --amount.")
        reference = written(reference_for(order.number)) if order else written(sale.transfer_reference) if sale else ""
        description = options["description"] or f"NGUYEN VAN AN chuyen tien {reference}".strip()
        body = json.dumps(
            {
                "id": secrets.randbelow(10**9),
                "gateway": settings.OCOP_VIETQR_BANK_NAME,
                "transactionDate": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
                "accountNumber": settings.OCOP_VIETQR_ACCOUNT_NUMBER,
                "content": description,
                "transferType": "in",
                "transferAmount": amount,
                "referenceCode": f"FT{secrets.randbelow(10**12):012d}",
            }
        ).encode()
        signature = sign(body, secret=settings.OCOP_BANK_WEBHOOK_SECRET, timestamp=int(time.time()))
        request = urllib.request.Request(
            options["url"], data=body, headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                self.stdout.write(response.read().decode())
        except urllib.error.HTTPError as error:
            raise CommandError(f"The webhook answered {error.code}: {error.read().decode()}") from error
        except urllib.error.URLError as error:
            raise CommandError(f"The webhook could not be reached: {error.reason}") from error
