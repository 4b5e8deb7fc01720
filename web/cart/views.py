"""The cart, the checkout and the order page. The cart is a Checkout whose token the session keeps."""

from __future__ import annotations

import base64
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.checkout.error_codes import CheckoutErrorCode
from marketplace.checkout.models import Checkout
from marketplace.checkout.selectors import CheckoutInfo, checkout_info
from marketplace.checkout.services import (
    checkout_add_promo_code,
    checkout_customer_attach,
    checkout_lines_delete,
    checkout_lines_update,
    checkout_remove_promo_code,
)
from marketplace.core.errors import DomainError
from marketplace.core.money import format_vnd
from marketplace.orders.models import Order, OrderStatus, PaymentMethod
from marketplace.orders.pickup import pickup_qr_svg
from marketplace.orders.privacy import buyer_details_visible, masked_receipt
from payments.transfers import transfer_refund_account_give
from payments.vietqr.instructions import configured as transfers_configured
from web.cart.errors import error_message
from web.cart.forms import (
    CARD,
    DELIVERY,
    PICKUP_PREFIX,
    TRANSFER,
    AddToCartForm,
    CheckoutForm,
    LineQuantityForm,
    RefundAccountForm,
    card_payments_available,
)
from web.cart.language import in_language
from web.cart.selectors import (
    OrderTransfer,
    cart_of,
    cart_view,
    order_for_page,
    order_transfer,
    pickup_options,
    product_of_variant,
    shipping_methods_for,
)
from web.cart.services import (
    CheckoutChoices,
    cart_add_variant,
    checkout_card_payment_finish,
    checkout_card_payment_start,
    checkout_choices_save,
    checkout_place_with_cash,
    checkout_place_with_transfer,
)
from web.cart.stages import order_stage

SESSION_CHECKOUT = "checkout_token"
SESSION_QUANTITY = "cart_quantity"
SESSION_ORDERS = "placed_orders"  # ids of the orders this browser placed, newest last
MAX_REMEMBERED_ORDERS = 20


# --- the cart in the session ---


def _user(request: HttpRequest):
    return request.user if request.user.is_authenticated else None


def _cart(request: HttpRequest) -> Checkout | None:
    """The visitor's checkout; a signed-in user's guest cart becomes theirs."""
    user = _user(request)
    checkout = cart_of(token=request.session.get(SESSION_CHECKOUT), user=user)
    if checkout is None:
        _forget_cart(request)
        return None
    if user is not None and checkout.user_id is None:
        checkout = checkout_customer_attach(checkout=checkout, user=user)
    if request.session.get(SESSION_CHECKOUT) != str(checkout.token):
        request.session[SESSION_CHECKOUT] = str(checkout.token)
    return checkout


def _remember_quantity(request: HttpRequest, info: CheckoutInfo | None) -> None:
    quantity = info.quantity if info is not None else 0
    if request.session.get(SESSION_QUANTITY, 0) != quantity:
        request.session[SESSION_QUANTITY] = quantity


def _forget_cart(request: HttpRequest) -> None:
    for key in (SESSION_CHECKOUT, SESSION_QUANTITY):
        if key in request.session:
            del request.session[key]


def _remember_order(request: HttpRequest, order: Order) -> None:
    """The browser that placed `order` keeps seeing its receipt in full (pickup code, addresses) for the session."""
    placed = [each for each in request.session.get(SESSION_ORDERS, []) if each != str(order.pk)]
    request.session[SESSION_ORDERS] = [*placed[-(MAX_REMEMBERED_ORDERS - 1) :], str(order.pk)]


def _back(request: HttpRequest, default: str) -> str:
    """The page to go back to: `next` when it is a path of this site, else `default`. Never a view's name, which
    `redirect()` would try to reverse."""
    target = request.POST.get("next") or ""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return default


# --- cart ---


def cart_detail(request: HttpRequest) -> HttpResponse:
    checkout = _cart(request)
    cart = cart_view(info=checkout_info(checkout=checkout)) if checkout is not None else None
    _remember_quantity(request, cart.info if cart else None)
    return render(request, "cart/cart.html", {"cart": cart})


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    cart_url = reverse("cart:cart")
    if not form.is_valid():
        messages.error(request, _("Choose a product and a quantity of at least 1."))
        return redirect(_back(request, cart_url))
    variant_id, quantity = form.cleaned_data["variant_id"], form.cleaned_data["quantity"]
    product = product_of_variant(variant_id=variant_id)
    name = in_language(product, "name") if product is not None else ""
    try:
        checkout = cart_add_variant(
            checkout=_cart(request),
            variant_id=variant_id,
            quantity=quantity,
            user=_user(request),
            language_code=get_language() or "vi",
        )
    except DomainError as error:
        for detail in error.details:
            messages.error(request, error_message(detail, name=name))
        return redirect(_back(request, cart_url))
    request.session[SESSION_CHECKOUT] = str(checkout.token)
    _remember_quantity(request, checkout_info(checkout=checkout))
    messages.success(request, _("%(name)s is in your cart.") % {"name": name})
    return redirect(cart_url)


@require_POST
def cart_line_update(request: HttpRequest, line_id: uuid.UUID) -> HttpResponse:
    """Change a line's quantity, accept its new price (the same quantity again), or remove it."""
    checkout = _cart(request)
    back = _back(request, reverse("cart:cart"))
    if checkout is None:
        return redirect(back)
    info = checkout_info(checkout=checkout)
    names = {str(line.line.pk): in_language(line.product, "name") for line in info.lines}
    form = LineQuantityForm(request.POST)
    try:
        if request.POST.get("action") == "remove":
            checkout_lines_delete(checkout=checkout, line_ids=[str(line_id)])
        elif form.is_valid():
            checkout_lines_update(checkout=checkout, quantities={str(line_id): form.cleaned_data["quantity"]})
            if request.POST.get("action") == "accept":
                messages.success(
                    request, _("The new price of %(name)s is accepted.") % {"name": names.get(str(line_id), "")}
                )
        else:
            messages.error(request, _("Enter a quantity of 0 or more."))
    except DomainError as error:
        for detail in error.details:
            messages.error(request, error_message(detail, name=names.get(str(line_id), "")))
    _remember_quantity(request, checkout_info(checkout=checkout))
    return redirect(back)


@require_POST
def cart_promo_code(request: HttpRequest) -> HttpResponse:
    """Apply a promo code to the cart (`action=apply`, the code in `code`), or take it off (`action=remove`)."""
    checkout = _cart(request)
    back = _back(request, reverse("cart:cart"))
    if checkout is None:
        return redirect(back)
    code = request.POST.get("code", "").strip()
    try:
        if request.POST.get("action") == "remove":
            checkout_remove_promo_code(checkout=checkout, promo_code=checkout.voucher_code or code)
            messages.success(request, _("The promo code is removed."))
        elif not code:
            messages.error(request, _("Enter a promo code."))
        else:
            checkout = checkout_add_promo_code(checkout=checkout, promo_code=code)
            messages.success(request, _("The promo code %(code)s is applied.") % {"code": checkout.voucher_code})
    except DomainError as error:
        for detail in error.details:
            messages.error(request, error_message(detail))
    return redirect(back)


# --- checkout ---


def _initial(checkout: Checkout, user) -> dict:
    initial: dict = {"email": checkout.email or (user.email if user else "")}
    if checkout.collection_point_id:
        initial["delivery"] = f"{PICKUP_PREFIX}{checkout.collection_point_id}"
    elif checkout.shipping_method_id:
        initial["delivery"] = DELIVERY
        initial["shipping_method"] = str(checkout.shipping_method_id)
    # The checkout's own address, or a signed-in buyer's default one (saved on /accounts/addresses/).
    address = checkout.shipping_address or (user.default_shipping_address if user is not None else None)
    if address is not None:
        initial.update(
            first_name=address.first_name,
            last_name=address.last_name,
            phone=address.phone,
            street_address_1=address.street_address_1,
            country_area=address.province_code,
            city=address.commune_code,
        )
    return initial


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    checkout = _cart(request)
    if checkout is None or not checkout.lines.exists():
        messages.info(request, _("Your cart is empty."))
        return redirect("cart:cart")
    user = _user(request)
    info = checkout_info(checkout=checkout)
    pickup = pickup_options(info=info)
    refresh = request.method == "POST" and request.POST.get("action") == "refresh"
    # Choosing another province only reloads the communes and delivery methods: nothing is checked yet.
    data = request.POST if request.method == "POST" and not refresh else None
    initial = request.POST.dict() if refresh else _initial(checkout, user)
    province = (data or initial).get("country_area") or "75"
    form = CheckoutForm(
        data,
        initial=initial,
        pickup=pickup,
        shipping_methods=shipping_methods_for(info=info, province_code=province),
        card_available=card_payments_available(),
        transfer_available=transfers_configured(),
    )
    line_errors: dict[str, list[str]] = {}
    if data is not None and form.is_valid():
        try:
            checkout = checkout_choices_save(
                checkout=checkout,
                choices=CheckoutChoices(
                    email=form.cleaned_data["email"],
                    outlet_id=form.outlet_id,
                    shipping_method_id=form.shipping_method_id,
                    address=form.address_values(),
                ),
            )
            if form.cleaned_data["payment"] == CARD:
                return redirect("cart:card")
            if form.cleaned_data["payment"] == TRANSFER:
                order = checkout_place_with_transfer(checkout=checkout, user=user)
            else:
                order = checkout_place_with_cash(checkout=checkout, user=user)
        except DomainError as error:
            _show_errors(form, error, info=info, line_errors=line_errors)
        else:
            _forget_cart(request)
            _remember_order(request, order)
            return redirect("cart:order", order_id=order.pk)
    _remember_quantity(request, info)
    selected = form["delivery"].value() or ""
    return render(
        request,
        "cart/checkout.html",
        {
            "form": form,
            "cart": cart_view(info=info),
            "pickup": pickup,
            "selected_delivery": selected,
            "selected_outlet": selected.removeprefix(PICKUP_PREFIX) if selected.startswith(PICKUP_PREFIX) else "",
            "selected_shipping": str(form["shipping_method"].value() or ""),
            "line_errors": line_errors,
            "DELIVERY": DELIVERY,
        },
    )


def _show_errors(form: CheckoutForm, error: DomainError, *, info: CheckoutInfo, line_errors: dict) -> None:
    """Each refusal next to what it is about: a form field, a cart line (named), or the form as a whole."""
    names = {str(line.line.pk): in_language(line.product, "name") for line in info.lines}
    by_variant = {line.variant.pk: str(line.line.pk) for line in info.lines}
    for detail in error.details:
        line_ids = list(detail.lines) or [by_variant[pk] for pk in detail.variants if pk in by_variant]
        if line_ids:
            for line_id in line_ids:
                line_errors.setdefault(line_id, []).append(error_message(detail, name=names.get(line_id, "")))
        elif detail.field in form.fields:
            form.add_error(detail.field, error_message(detail))
        else:
            form.add_error(None, error_message(detail))
    if line_errors:
        form.add_error(None, _("Some items in your cart cannot be ordered as they are: see below."))


@require_http_methods(["GET", "POST"])
def checkout_card(request: HttpRequest) -> HttpResponse:
    """Pay by card: Stripe.js takes the card in the page, then the page posts back and the order is placed."""
    checkout = _cart(request)
    if checkout is None:
        return redirect("cart:cart")
    if not card_payments_available():
        return redirect("cart:checkout")
    user = _user(request)
    payment_error = ""
    if request.method == "POST" or request.GET.get("payment_intent"):  # Stripe returns here after a redirect
        try:
            order = checkout_card_payment_finish(
                checkout=checkout, user=user, payment_method=request.POST.get("payment_method", "").strip()
            )
        except DomainError as error:
            detail = error.details[0]
            if detail.code not in (CheckoutErrorCode.PAYMENT_ERROR, CheckoutErrorCode.CHECKOUT_NOT_FULLY_PAID):
                for each in error.details:
                    messages.error(request, error_message(each))
                return redirect("cart:checkout")
            payment_error = error_message(detail)
        else:
            _forget_cart(request)
            _remember_order(request, order)
            return redirect("cart:order", order_id=order.pk)
    try:
        card = checkout_card_payment_start(checkout=checkout, user=user)
    except DomainError as error:
        messages.error(request, error_message(error.details[0]))
        return redirect("cart:checkout")
    info = checkout_info(checkout=checkout)
    return render(
        request,
        "cart/card.html",
        {
            "info": info,
            "transaction": card.transaction,
            "client_secret": card.client_secret,
            "publishable_key": card.publishable_key,
            "stripe_js_url": settings.STRIPE_JS_URL,
            "return_url": request.build_absolute_uri(reverse("cart:card")),
            "payment_error": payment_error,
        },
    )


# --- the order ---


def _payment_status(order: Order) -> str:
    if order.total_refunded_amount and order.total_refunded_amount >= order.total_charged_amount:
        return _("Refunded.")
    if order.amount_due <= 0:
        return {
            PaymentMethod.CARD: _("Paid by card."),
            PaymentMethod.TRANSFER: _("Paid by bank transfer."),
        }.get(PaymentMethod(order.payment_method), _("Paid in cash."))
    if order.payment_method == PaymentMethod.TRANSFER:
        if order.status == OrderStatus.CANCELED:
            return _("No transfer received.") if not order.total_charged_amount else _("Transfer to be refunded.")
        if order.total_charged_amount:
            due = format_vnd(order.amount_due, get_language())
            return _("Part of the transfer received: %(due)s still due.") % {"due": due}
        return _("Awaiting your bank transfer.")
    if order.payment_method == PaymentMethod.CASH:
        return _("To pay in cash when you collect the order.") if order.is_pickup else _("To pay in cash on delivery.")
    if order.total_authorized_amount:
        return _("Card payment authorized, not yet taken.")
    return _("Card payment not confirmed yet.")


@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    order = order_for_page(order_id=order_id, user=user)
    if order is None:
        raise Http404
    masked = not (buyer_details_visible(user, order) or str(order.pk) in request.session.get(SESSION_ORDERS, []))
    if masked:
        # A forwarded link: what was bought and where, not who bought it nor the code that releases the goods.
        order = masked_receipt(order)
    qr = ""
    if order.pickup_code:
        svg = pickup_qr_svg(order.pickup_code).encode("utf-8")
        qr = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    transfer: OrderTransfer | None = None if masked else order_transfer(order=order)
    refund_form = None
    if transfer is not None and transfer.refund_awaiting_account is not None:
        refund_form = RefundAccountForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and refund_form.is_valid():
            try:
                transfer_refund_account_give(refund=transfer.refund_awaiting_account, **refund_form.cleaned_data)
            except DomainError as error:
                for detail in error.details:
                    field = detail.field if detail.field in refund_form.fields else None
                    refund_form.add_error(field, error_message(detail))
            else:
                messages.success(request, _("Thank you: we will transfer the money back to this account."))
                return redirect("cart:order", order_id=order.pk)
    return render(
        request,
        "cart/order.html",
        {
            "order": order,
            "stage": order_stage(order),
            "payment_status": _payment_status(order),
            "qr": qr,
            "outlet": order.collection_point,
            "masked": masked,
            "transfer": transfer,
            "refund_form": refund_form,
        },
    )
