from django.db.models import Exists, OuterRef, QuerySet

from marketplace.catalogue.selectors import listed_products
from marketplace.producers.models import Producer


def producers_with_listed_products() -> QuerySet[Producer]:
    """The producers a shopper may see: those selling at least one listed product today."""
    return Producer.objects.filter(Exists(listed_products().filter(producer=OuterRef("pk"))))
