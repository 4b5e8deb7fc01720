"""The demo's navigation and pages, in Vietnamese and English: what Saleor's storefront asks for by slug.

- menus `navbar` (the OCOP groups that have listed products, the published collections, the pickup points) and
  `footer` (two columns: about the shop, its rules);
- pages: about OCOP in Đồng Nai, how pickup works, the pickup points (from the outlets), terms, privacy;
- the storefront's own texts (page types `storefront-homepage` and `storefront-chrome`, read by attribute slug),
  so its home page and announcement bar speak of OCOP products instead of its built-in copy.

Facts about OCOP come from `shared/data/README.md` and the catalogue gate (docs/catalogue-gate.md); the pickup
facts from the checkout (docs/checkout-and-payments.md). Like the rest of the demo, it only adds what is missing:
an existing menu keeps its items, an existing page its text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from marketplace.catalogue.models import Category, Collection
from marketplace.catalogue.selectors import listed_products, published_collections
from marketplace.content.models import Menu, Page, PageAttributeKind, PageType
from marketplace.content.services import (
    menu_ensure,
    menu_item_add,
    page_attribute_ensure,
    page_attribute_value_set,
    page_create,
    page_type_ensure,
)
from marketplace.outlets.models import CollectionPointOption, Outlet

NAVBAR, FOOTER = "navbar", "footer"
INFO_PAGE_TYPE = "thong-tin"
ABOUT, HOW_PICKUP_WORKS, PICKUP_POINTS, TERMS, PRIVACY = (
    "gioi-thieu-ocop-dong-nai",
    "cach-nhan-hang",
    "diem-nhan-hang",
    "dieu-khoan",
    "chinh-sach-bao-mat",
)


@dataclass(frozen=True)
class DemoPage:
    slug: str
    slug_en: str
    title: str
    title_en: str
    text: str
    text_en: str
    seo_description: str = ""
    seo_description_en: str = ""


ABOUT_PAGE = DemoPage(
    slug=ABOUT,
    slug_en="about-ocop-dong-nai",
    title="Về OCOP Đồng Nai",
    title_en="About OCOP in Đồng Nai",
    seo_description=(
        "Sản phẩm OCOP của Đồng Nai: cách chấm sao, ai công nhận, và vì sao chỉ sản phẩm còn hiệu lực được bán."
    ),
    seo_description_en=(
        "OCOP products of Đồng Nai: how stars are given, who certifies them, and why only valid ones are sold."
    ),
    text="""
OCOP (Mỗi xã một sản phẩm) là chương trình công nhận sản phẩm đặc trưng của từng địa phương. Cửa hàng này bán
sản phẩm OCOP của tỉnh Đồng Nai, kể cả các sản phẩm của tỉnh Bình Phước cũ, đã hợp nhất vào Đồng Nai từ tháng 7/2025.

## Sản phẩm được chấm sao thế nào

Mỗi sản phẩm được hội đồng chấm trên thang 100 điểm:
- dưới 30 điểm: 1 sao; từ 30 đến dưới 50: 2 sao;
- từ 50 đến dưới 70: 3 sao; từ 70 đến dưới 90: 4 sao;
- từ 90 đến 100 điểm: 5 sao.

Chỉ sản phẩm từ 3 sao trở lên được công nhận là sản phẩm OCOP. Giấy chứng nhận có hiệu lực 36 tháng kể
từ ngày quyết định.

## Ai công nhận

Từ tháng 7/2025 (Quyết định 1489/QĐ-TTg), tỉnh công nhận sản phẩm 3 và 4 sao, hội đồng trung ương công nhận sản phẩm
5 sao. Từ năm 2023 đến tháng 6/2025, cấp huyện công nhận sản phẩm 3 sao. Các nhóm sản phẩm theo Quyết định 490 (2018)
hoặc các Quyết định 919 và 148 (2022–2023).

## Chỉ bán sản phẩm còn hiệu lực

Cửa hàng chỉ hiển thị và bán sản phẩm có giấy chứng nhận OCOP từ 3 đến 5 sao còn hiệu lực hôm nay, theo dữ liệu của sở
quản lý chương trình. Khi giấy chứng nhận hết hạn hoặc bị thu hồi, sản phẩm tự động ngừng bán.
""",
    text_en="""
OCOP (One Commune One Product) is Vietnam's programme that certifies each place's signature products. This shop sells
the OCOP products of Đồng Nai province, including those of former Bình Phước, merged into Đồng Nai in July 2025.

## How products are rated

A council scores each product out of 100 points:
- under 30 points: 1 star; 30 to under 50: 2 stars;
- 50 to under 70: 3 stars; 70 to under 90: 4 stars;
- 90 to 100 points: 5 stars.

Only products with 3 stars or more are certified as OCOP products. A certificate is valid for 36 months
from its decision.

## Who certifies

Since July 2025 (Decision 1489/QĐ-TTg) the province certifies 3- and 4-star products and the central council 5-star
ones. From 2023 to June 2025, districts certified 3-star products. Product groups follow Decision 490 (2018) or
Decisions 919 and 148 (2022–2023).

## Only valid certificates are sold

The shop shows and sells only products holding a 3- to 5-star OCOP certificate that is valid today, as the programme's
registry records it. When a certificate expires or is withdrawn, the product leaves the shop by itself.
""",
)

HOW_PICKUP_PAGE = DemoPage(
    slug=HOW_PICKUP_WORKS,
    slug_en="how-pickup-works",
    title="Cách nhận hàng tại điểm",
    title_en="How pickup works",
    seo_description="Đặt hàng trực tuyến và nhận tại một điểm bán OCOP ở Đồng Nai bằng mã nhận hàng.",
    seo_description_en="Order online and collect at an OCOP point in Đồng Nai with your pickup code.",
    text="""
## Đặt hàng

Chọn sản phẩm, rồi chọn “Nhận tại điểm” và một điểm nhận hàng. Bạn có thể trả bằng thẻ khi đặt hàng, hoặc trả tiền mặt
khi nhận hàng.

## Mã nhận hàng

Mỗi đơn nhận tại điểm có một mã 6 ký tự (không có các ký tự dễ nhầm như 0, O, 1, I, L), hiện trên trang
đơn hàng và trong
e-mail, kèm mã QR.

## Khi hàng sẵn sàng

Điểm nhận hàng báo đơn đã sẵn sàng, bạn nhận e-mail kèm ngày cuối cùng để nhận hàng. Hàng phải chuyển từ kho khác sẵn
sàng muộn hơn khoảng 2 ngày. Điểm bán OCOP giữ hàng 5 ngày, điểm du lịch và cơ sở sản xuất giữ 3 ngày;
quá hạn, đơn bị hủy
và tiền đã trả được hoàn lại.

## Tại quầy

- Đưa mã nhận hàng hoặc mã QR cho nhân viên.
- Nếu trả tiền mặt, trả đúng số tiền của đơn trước khi nhận hàng.
- Bạn có thể hủy đơn cho đến khi đơn được báo sẵn sàng.
""",
    text_en="""
## Ordering

Choose your products, then “Pick up at a point” and a pickup point. You can pay by card when you order, or in cash when
you collect.

## Your pickup code

Every pickup order gets a 6-character code (without look-alikes such as 0, O, 1, I, L), shown on the order page and in
the e-mails, with a QR code.

## When it is ready

The pickup point marks your order ready and you get an e-mail with the last day to collect it. Goods that come from
another warehouse are ready about 2 days later. OCOP showrooms hold an order for 5 days, tourist sites and producers'
sites for 3 days; after that the order is cancelled and what you paid is refunded.

## At the counter

- Show your pickup code or its QR code to the staff.
- If you pay in cash, pay the exact amount of the order before you collect it.
- You can cancel an order until it is marked ready.
""",
)

TERMS_PAGE = DemoPage(
    slug=TERMS,
    slug_en="terms",
    title="Điều khoản bán hàng",
    title_en="Terms of sale",
    text="""
## Sản phẩm

Chỉ sản phẩm có giấy chứng nhận OCOP từ 3 đến 5 sao còn hiệu lực được bán. Mỗi sản phẩm do hợp tác xã hoặc cơ sở sản
xuất ghi trên trang sản phẩm bán và chịu trách nhiệm về chất lượng.

## Giá và thanh toán

Giá tính bằng đồng, đã gồm thuế. Bạn trả bằng thẻ (qua Stripe) khi đặt hàng, hoặc bằng tiền mặt khi nhận hàng hay khi
giao hàng. Nếu giá thay đổi trước khi bạn hoàn tất đơn, cửa hàng báo cho bạn và không tự ý tính giá mới.

## Nhận và giao hàng

Đơn nhận tại điểm được giữ theo số ngày của điểm nhận (xem “Cách nhận hàng tại điểm”); quá hạn, đơn bị
hủy và tiền đã trả
được hoàn lại. Đơn giao tận nơi có phí và thời gian giao theo phương thức bạn chọn.

## Bản trình diễn

Đây là cửa hàng trình diễn: sản phẩm, nhà sản xuất và điểm bán là thật, nhưng giá và tồn kho là minh họa.
""",
    text_en="""
## Products

Only products holding a valid 3- to 5-star OCOP certificate are sold. Each product is sold by the cooperative or
producer named on its page, who answers for its quality.

## Prices and payment

Prices are in đồng and include tax. You pay by card (through Stripe) when you order, or in cash when you collect or
receive the goods. If a price changes before you complete your order, the shop tells you and never charges the new
price without asking.

## Pickup and delivery

A pickup order is held for the pickup point's number of days (see “How pickup works”); after that it is cancelled and
what you paid is refunded. Home delivery has the fee and delivery time of the method you choose.

## A demonstration

This is a demonstration shop: the products, producers and places are real, the prices and stock are illustrative.
""",
)

PRIVACY_PAGE = DemoPage(
    slug=PRIVACY,
    slug_en="privacy",
    title="Chính sách bảo mật",
    title_en="Privacy policy",
    text="""
## Chúng tôi lưu gì

- Địa chỉ e-mail, tên và số điện thoại bạn nhập khi đặt hàng hoặc tạo tài khoản.
- Địa chỉ giao hàng và thanh toán, các đơn hàng của bạn.
- Không lưu số thẻ: thanh toán thẻ do Stripe xử lý.

## Dùng để làm gì

Để xử lý đơn hàng, báo khi hàng sẵn sàng, nhắc ngày nhận hàng và hoàn tiền khi cần. Điểm nhận hàng và nhà sản xuất chỉ
thấy phần đơn hàng của họ.

## Quyền của bạn

Bạn có thể sửa thông tin tài khoản và yêu cầu xóa tài khoản (xác nhận qua e-mail). Khi xóa tài khoản, địa chỉ đã lưu bị
xóa; các đơn hàng đã đặt được giữ lại với tên và địa chỉ ghi trên đơn, như sổ sách bán hàng yêu cầu.
""",
    text_en="""
## What we keep

- The e-mail address, name and phone number you give when you order or create an account.
- Your delivery and billing addresses, and your orders.
- No card numbers: card payments are handled by Stripe.

## What for

To handle your orders, tell you when they are ready, remind you of the last day to collect, and refund when needed.
Pickup points and producers see only their own part of an order.

## Your rights

You can change your account's details and ask for your account to be deleted (confirmed by e-mail). Deleting it removes
your saved addresses; orders already placed keep the name and address written on them, as sales records require.
""",
)


def _pickup_points_page(outlets: Iterable[Outlet]) -> DemoPage:
    """The pickup points as they are in the shop today: name, address, opening hours, how to collect."""
    vi, en = [], []
    for outlet in outlets:
        address = outlet.address_line or outlet.address_before_2025
        vi.append(f"## {outlet.name}")
        en.append(f"## {outlet.name_en or outlet.name}")
        vi_lines = [
            f"- Địa chỉ: {address}" if address else "",
            f"- Giờ mở cửa: {outlet.opening_hours}" if outlet.opening_hours else "",
            f"- Giữ hàng: {outlet.hold_days} ngày",
            f"- {outlet.pickup_instructions}" if outlet.pickup_instructions else "",
        ]
        en_lines = [
            f"- Address: {address}" if address else "",
            f"- Opening hours: {outlet.opening_hours_en}" if outlet.opening_hours_en else "",
            f"- Orders held for {outlet.hold_days} days",
            f"- {outlet.pickup_instructions_en}" if outlet.pickup_instructions_en else "",
        ]
        vi.append("\n".join(line for line in vi_lines if line))
        en.append("\n".join(line for line in en_lines if line))
    intro = "Bạn có thể nhận đơn hàng tại các điểm dưới đây. Cách nhận: xem “Cách nhận hàng tại điểm”."
    intro_en = 'You can collect your order at the places below. How: see "How pickup works".'
    return DemoPage(
        slug=PICKUP_POINTS,
        slug_en="pickup-points",
        title="Điểm nhận hàng",
        title_en="Pickup points",
        text="\n\n".join([intro, *vi]),
        text_en="\n\n".join([intro_en, *en]),
        seo_description="Các điểm bán OCOP và điểm du lịch ở Đồng Nai nơi bạn nhận đơn hàng.",
        seo_description_en="The OCOP showrooms and tourist sites in Đồng Nai where you collect your order.",
    )


# The storefront's own texts, by its attribute slugs: (slug, name, Vietnamese, English).
HOMEPAGE_TEXTS: tuple[tuple[str, str, str, str], ...] = (
    ("hero-eyebrow", "Dòng trên tiêu đề", "OCOP Đồng Nai", "OCOP of Đồng Nai"),
    ("hero-heading", "Tiêu đề", "Đặc sản được công nhận sao OCOP", "Local specialities with OCOP stars"),
    (
        "hero-subheading",
        "Dòng dưới tiêu đề",
        "Mua trực tuyến, nhận tại điểm bán OCOP hoặc giao tận nơi.",
        "Buy online, collect at an OCOP showroom or have it delivered.",
    ),
    ("hero-cta-label", "Nút", "Xem sản phẩm", "Shop the products"),
    ("featured-heading", "Tiêu đề sản phẩm nổi bật", "Sản phẩm 5 sao OCOP", "5-star OCOP products"),
    ("categories-eyebrow", "Dòng trên nhóm sản phẩm", "Theo nhóm OCOP", "By OCOP group"),
    ("categories-heading", "Tiêu đề nhóm sản phẩm", "Nhóm sản phẩm", "Product groups"),
    ("brand-story-heading", "Tiêu đề câu chuyện", "Từ hợp tác xã đến tay bạn", "From the cooperative to you"),
    (
        "brand-story-paragraph-1",
        "Đoạn 1",
        "Mỗi sản phẩm ở đây có giấy chứng nhận OCOP từ 3 đến 5 sao còn hiệu lực, "
        "do tỉnh hoặc hội đồng trung ương công nhận.",
        "Every product here holds a valid 3- to 5-star OCOP certificate, given by the province or the central council.",
    ),
    (
        "brand-story-paragraph-2",
        "Đoạn 2",
        "Hợp tác xã và cơ sở sản xuất tự đặt giá, cửa hàng chỉ giữ phần hoa hồng nhỏ.",
        "Cooperatives and producers set their own prices; the shop keeps a small commission.",
    ),
    ("values-heading", "Tiêu đề giá trị", "Vì sao mua ở đây", "Why buy here"),
    ("values-column-1-title", "Cột 1", "Được công nhận", "Certified"),
    (
        "values-column-1-text",
        "Cột 1, nội dung",
        "Chỉ sản phẩm OCOP còn hiệu lực được bán.",
        "Only products with a valid OCOP certificate are sold.",
    ),
    ("values-column-2-title", "Cột 2", "Nhận tại điểm", "Pickup"),
    (
        "values-column-2-text",
        "Cột 2, nội dung",
        "Nhận hàng tại điểm bán OCOP và điểm du lịch ở Đồng Nai.",
        "Collect at OCOP showrooms and tourist sites in Đồng Nai.",
    ),
    ("values-column-3-title", "Cột 3", "Trả khi nhận", "Pay on pickup"),
    (
        "values-column-3-text",
        "Cột 3, nội dung",
        "Trả bằng thẻ khi đặt, hoặc tiền mặt khi nhận hàng.",
        "Pay by card when you order, or in cash when you collect.",
    ),
)
CHROME_TEXTS: tuple[tuple[str, str, str, str], ...] = (
    (
        "announcement-message",
        "Thông báo",
        "Đặt trực tuyến, nhận tại điểm bán OCOP ở Đồng Nai",
        "Order online, collect at an OCOP point in Đồng Nai",
    ),
    ("nav-all-products-label", "Nhãn tất cả sản phẩm", "Tất cả sản phẩm", "All products"),
    ("nav-view-all-label", "Nhãn xem tất cả", "Xem tất cả", "View all"),
)


@dataclass
class DemoContentSummary:
    menus_created: list[str]
    pages_created: list[str]


def _page_ensure(page_type: PageType, page: DemoPage, created: list[str]) -> Page:
    found = Page.objects.filter(slug=page.slug).first()
    if found is not None:
        return found
    created.append(page.slug)
    return page_create(
        page_type=page_type,
        title=page.title,
        title_en=page.title_en,
        slug=page.slug,
        slug_en=page.slug_en,
        text=page.text,
        text_en=page.text_en,
        seo_description=page.seo_description,
        seo_description_en=page.seo_description_en,
    )


def _texts_page_ensure(
    *, slug: str, name: str, texts: tuple[tuple[str, str, str, str], ...], created: list[str]
) -> Page | None:
    """A storefront page of texts (one plain-text attribute each), created once with its values."""
    if Page.objects.filter(slug=slug).exists():
        return None
    attributes = {
        attribute_slug: page_attribute_ensure(slug=attribute_slug, name=label, kind=PageAttributeKind.PLAIN_TEXT)
        for attribute_slug, label, _, _ in texts
    }
    page_type = page_type_ensure(slug=slug, name=name, attributes=list(attributes.values()))
    page = page_create(page_type=page_type, title=name, slug=slug)
    for attribute_slug, _, text, text_en in texts:
        page_attribute_value_set(page=page, attribute=attributes[attribute_slug], text=text, text_en=text_en)
    created.append(slug)
    return page


def _homepage_collection(page: Page, collection: Collection | None) -> None:
    if collection is None:
        return
    featured = page_attribute_ensure(
        slug="featured-collection", name="Bộ sưu tập nổi bật", kind=PageAttributeKind.COLLECTION
    )
    page.page_type.attributes.add(featured)
    page_attribute_value_set(page=page, attribute=featured, collection=collection)


def _groups_with_listed_products() -> list[Category]:
    group_ids = listed_products().order_by().values_list("group_id", flat=True).distinct()
    return list(Category.objects.filter(pk__in=group_ids, kind=Category.Kind.GROUP).order_by("scheme", "code"))


def _navbar(menu: Menu, pages: dict[str, Page]) -> None:
    groups = _groups_with_listed_products()
    if groups:
        products = menu_item_add(menu=menu, name="Sản phẩm OCOP", name_en="OCOP products")
        for group in groups:
            menu_item_add(menu=menu, parent=products, name=group.name, name_en=group.name_en, category=group)
    collections = list(published_collections())
    if collections:
        heading = menu_item_add(menu=menu, name="Bộ sưu tập", name_en="Collections")
        for collection in collections:
            menu_item_add(
                menu=menu, parent=heading, name=collection.name, name_en=collection.name_en, collection=collection
            )
    menu_item_add(menu=menu, name="Điểm nhận hàng", name_en="Pickup points", page=pages[PICKUP_POINTS])
    menu_item_add(menu=menu, name="Về OCOP Đồng Nai", name_en="About OCOP", page=pages[ABOUT])


def _footer(menu: Menu, pages: dict[str, Page]) -> None:
    shop = menu_item_add(menu=menu, name="Cửa hàng", name_en="The shop")
    for slug, name, name_en in (
        (ABOUT, "Về OCOP Đồng Nai", "About OCOP in Đồng Nai"),
        (HOW_PICKUP_WORKS, "Cách nhận hàng", "How pickup works"),
        (PICKUP_POINTS, "Điểm nhận hàng", "Pickup points"),
    ):
        menu_item_add(menu=menu, parent=shop, name=name, name_en=name_en, page=pages[slug])
    rules = menu_item_add(menu=menu, name="Chính sách", name_en="Policies")
    for slug, name, name_en in ((TERMS, "Điều khoản bán hàng", "Terms of sale"), (PRIVACY, "Bảo mật", "Privacy")):
        menu_item_add(menu=menu, parent=rules, name=name, name_en=name_en, page=pages[slug])


@transaction.atomic
def demo_content_ensure() -> DemoContentSummary:
    """The demo's pages and menus, each created once (after the outlets and collections exist)."""
    summary = DemoContentSummary(menus_created=[], pages_created=[])
    info = page_type_ensure(slug=INFO_PAGE_TYPE, name="Trang thông tin")
    outlets = Outlet.objects.filter(is_active=True).exclude(click_and_collect_option=CollectionPointOption.DISABLED)
    demo_pages = (ABOUT_PAGE, HOW_PICKUP_PAGE, _pickup_points_page(outlets), TERMS_PAGE, PRIVACY_PAGE)
    pages = {page.slug: _page_ensure(info, page, summary.pages_created) for page in demo_pages}
    homepage = _texts_page_ensure(
        slug="storefront-homepage", name="Trang chủ (storefront)", texts=HOMEPAGE_TEXTS, created=summary.pages_created
    )
    if homepage is not None:
        _homepage_collection(homepage, published_collections().filter(slug="5-sao-ocop").first())
    _texts_page_ensure(
        slug="storefront-chrome", name="Khung trang (storefront)", texts=CHROME_TEXTS, created=summary.pages_created
    )
    for slug, name, fill in ((NAVBAR, "Thanh điều hướng", _navbar), (FOOTER, "Chân trang", _footer)):
        menu, created = menu_ensure(slug=slug, name=name)
        if created:
            fill(menu, pages)
            summary.menus_created.append(slug)
    return summary
