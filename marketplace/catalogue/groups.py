"""English names of the OCOP product groups, which the registry names in Vietnamese only.

The groups of Decision 490/QĐ-TTg (2018) and of Decisions 919/QĐ-TTg and 148/QĐ-TTg (2023). The sync
gives a new group its English name (and English slug) from here; staff may change both in the back office.
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


def group_name_en(name: str) -> str:
    """The English name of the OCOP group named `name`, or "" for a name not known here."""
    return _BY_FOLDED_NAME.get(" ".join(fold(name).split()), "")


@transaction.atomic
def groups_name_in_english() -> int:
    """Give the OCOP groups that have no English name the known one, with its English slug; returns how many."""
    named = 0
    for group in Category.objects.select_for_update().filter(kind=Category.Kind.GROUP, name_en=""):
        group.name_en = group_name_en(group.name)
        if group.name_en:
            english_slug_fill(group)
            group.save(update_fields=["name_en", "slug_en"])
            named += 1
    return named
