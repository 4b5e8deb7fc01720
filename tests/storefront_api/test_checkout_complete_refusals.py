"""`checkoutComplete` refused: the payload still answers every field the document selects, as Saleor's does."""

from __future__ import annotations

from marketplace.orders.models import Order
from tests.payments.test_payments import checkout_id, make_checkout

COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order { id }
    confirmationNeeded
    confirmationData
    errors { field code message }
  }
}
"""


def test_a_refused_completion_says_why_and_needs_no_confirmation(graphql):
    checkout = make_checkout()

    answer = graphql(COMPLETE, {"id": checkout_id(checkout)})

    assert "errors" not in answer, answer["errors"]
    completed = answer["data"]["checkoutComplete"]
    assert completed["order"] is None
    assert completed["confirmationNeeded"] is False
    assert [error["code"] for error in completed["errors"]] == ["CHECKOUT_NOT_FULLY_PAID"]
    assert completed["errors"][0]["message"]
    assert not Order.objects.exists()
