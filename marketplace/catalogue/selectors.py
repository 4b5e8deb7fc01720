import datetime

from django.db.models import QuerySet

from marketplace.catalogue.models import ListingState, Product
from marketplace.certification.selectors import valid_certification_q
from marketplace.core.dates import local_today


def listed_products(*, today: datetime.date | None = None) -> QuerySet[Product]:
    """Products a shopper may see and buy right now.

    Besides the stored listing state, the certificate is checked against today's date here,
    so a certificate that expired at midnight stops selling at once, before the daily task
    records the delisting.
    """
    day = today or local_today()
    return (
        Product.objects.filter(listing_state=ListingState.LISTED)
        .filter(valid_certification_q(day, prefix="current_certification__"))
        .select_related("producer", "category", "group", "current_certification")
    )


def product_is_purchasable(*, product: Product, today: datetime.date | None = None) -> bool:
    return listed_products(today=today).filter(pk=product.pk).exists()
