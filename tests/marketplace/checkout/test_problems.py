"""The checkout's refusals, built once for the cart and the completion: which comes first, and how each names
what is at fault (a variant being added, or a line already in the cart)."""

from __future__ import annotations

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.problems import Item, insufficient_stock, quantity_problem, sale_problem

ADDING = Item(name="Hạt điều rang muối", variant_id=7)
IN_CART = Item(name="Hạt điều rang muối", variant_id=7, line_id="line-1")


def test_an_unlisted_product_is_refused_before_asking_about_the_channel():
    problem = sale_problem(ADDING, is_listed=False, unit_price=None, channel_slug="default-channel")

    assert problem is not None
    assert (problem.code, problem.field, problem.variants, problem.lines) == (
        CheckoutErrorCode.PRODUCT_NOT_PUBLISHED,
        "lines",
        (7,),
        (),
    )
    assert problem.message.startswith("Hạt điều rang muối is not for sale")


def test_a_line_in_the_cart_is_named_and_the_buyer_told_to_remove_it():
    problem = sale_problem(IN_CART, is_listed=False, unit_price=150_000, channel_slug="default-channel")

    assert problem is not None
    assert problem.lines == ("line-1",)
    assert problem.message.endswith("Remove it from the cart.")


def test_a_listed_variant_without_a_price_in_the_channel_is_not_sold_there():
    problem = sale_problem(ADDING, is_listed=True, unit_price=None, channel_slug="default-channel")

    assert problem is not None
    assert problem.code == CheckoutErrorCode.UNAVAILABLE_VARIANT_IN_CHANNEL
    assert problem.message == "Hạt điều rang muối is not sold in channel default-channel."
    assert sale_problem(ADDING, is_listed=True, unit_price=150_000, channel_slug="default-channel") is None


def test_the_quantity_asked_for_is_at_fault_when_adding_the_line_when_completing():
    adding = quantity_problem(ADDING, quantity=5, limit=50, available=3)
    completing = insufficient_stock(IN_CART, available=3, outlet_name="Khu du lịch Bửu Long")

    assert adding is not None
    assert (adding.code, adding.field, adding.message) == (
        CheckoutErrorCode.INSUFFICIENT_STOCK,
        "quantity",
        "Only 3 of Hạt điều rang muối left in stock.",
    )
    assert (completing.field, completing.lines, completing.message) == (
        "lines",
        ("line-1",),
        "Only 3 of Hạt điều rang muối left in stock at Khu du lịch Bửu Long.",
    )


def test_quantities_out_of_bounds_and_untracked_stock():
    zero = quantity_problem(ADDING, quantity=0, limit=50, available=10)
    too_many = quantity_problem(ADDING, quantity=51, limit=50, available=100)

    assert zero is not None and zero.code == CheckoutErrorCode.ZERO_QUANTITY
    assert too_many is not None and too_many.code == CheckoutErrorCode.QUANTITY_GREATER_THAN_LIMIT
    assert quantity_problem(ADDING, quantity=20, limit=50, available=None) is None  # stock not tracked
