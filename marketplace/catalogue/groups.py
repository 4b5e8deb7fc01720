"""English names of the OCOP product groups and product sets, which the registry names in Vietnamese only.

The groups of Decision 490/QĐ-TTg (2018) and of Decisions 919/QĐ-TTg and 148/QĐ-TTg (2023), and the product sets
within them. The sync gives a new group or product set its English name (and a group its English slug) from here;
staff may change both in the back office. English pages show a product's set through `product_set_name_en`.
"""

from __future__ import annotations

from django.db import transaction

from marketplace.catalogue.models import Category
from marketplace.catalogue.slugs import english_slug_fill
from marketplace.core.text import fold

_GROUPS = (
    # 2023
    ("Thực phẩm", "Food"),
    ("Đồ uống", "Beverages"),
    ("Dược liệu và sản phẩm từ dược liệu", "Medicinal herbs and herbal products"),
    ("Hàng thủ công mỹ nghệ", "Handicrafts"),
    ("Sinh vật cảnh", "Ornamental plants and animals"),
    ("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "Community and eco-tourism services"),
    # 2018, where the name differs
    ("Thảo dược", "Herbal products"),
    ("Vải và may mặc", "Textiles and garments"),
    ("Lưu niệm - nội thất - trang trí", "Souvenirs, furniture and decoration"),
    ("Dịch vụ du lịch nông thôn, bán hàng", "Rural tourism services and shops"),
)
_BY_FOLDED_NAME = {" ".join(fold(name).split()): english for name, english in _GROUPS}

_PRODUCT_SETS = (
    # Food
    ("Rau, củ, quả, hạt tươi", "Fresh vegetables, fruit and nuts"),
    ("Thịt, trứng, sữa tươi", "Fresh meat, eggs and milk"),
    ("Gạo, ngũ cốc, hạt sơ chế khác", "Rice, cereals and other lightly processed grains"),
    ("Mật ong, mật khác và nông sản thực phẩm khác", "Honey, other syrups and other farm foods"),
    ("Chế biến từ gạo, ngũ cốc", "Processed rice and cereal foods"),
    ("Chế biến từ rau, củ, quả, hạt", "Processed vegetables, fruit and nuts"),
    ("Chế biến từ thịt, trứng, sữa", "Processed meat, egg and dairy foods"),
    ("Chế biến từ thủy, hải sản", "Processed fish and seafood"),
    ("Gia vị, tương, nước mắm, nước chấm khác", "Spices, sauces, fish sauce and other dips"),
    ("Chè", "Tea"),
    ("Cà phê, ca cao", "Coffee and cocoa"),
    # Beverages
    ("Rượu trắng", "White rice spirits"),
    ("Đồ uống có cồn khác", "Other alcoholic drinks"),
    ("Đồ uống không cồn", "Soft drinks"),
    ("Đồ uống không cồn / có cồn (lên men) – unclear", "Drinks (fermented)"),
    # Medicinal herbs
    ("Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền", "Dietary supplements, herbal and traditional medicines"),
    ("Mỹ phẩm có thành phần từ thảo dược", "Cosmetics with herbal ingredients"),
    ("Tinh dầu và dược liệu khác", "Essential oils and other herbal products"),
    # Handicrafts, ornamental plants, tourism
    ("Thủ công mỹ nghệ, trang trí", "Handicrafts and decorations"),
    ("Đồ gia dụng, nội thất", "Household goods and furniture"),
    ("Vải, may mặc", "Textiles and garments"),
    ("Hoa, cây cảnh", "Flowers and ornamental plants"),
    ("Động vật cảnh", "Ornamental animals"),
    ("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch", "Community and eco-tourism services"),
)
_SETS_BY_FOLDED_NAME = {" ".join(fold(name).split()): english for name, english in _PRODUCT_SETS}


def product_set_name_en(name: str) -> str:
    """The English name of the OCOP product set named `name`, or "" for a name not known here."""
    return _SETS_BY_FOLDED_NAME.get(" ".join(fold(name or "").split()), "")


def group_name_en(name: str) -> str:
    """The English name of the OCOP group named `name`, or "" for a name not known here."""
    return _BY_FOLDED_NAME.get(" ".join(fold(name).split()), "")


@transaction.atomic
def groups_name_in_english() -> int:
    """Give the OCOP groups and product sets that have no English name the known one (a group with its English
    slug); returns how many."""
    named = 0
    for category in Category.objects.select_for_update().filter(name_en=""):
        is_group = category.kind == Category.Kind.GROUP
        category.name_en = group_name_en(category.name) if is_group else product_set_name_en(category.name)
        if category.name_en:
            if is_group:
                english_slug_fill(category)
            category.save(update_fields=["name_en", "slug_en"])
            named += 1
    return named
