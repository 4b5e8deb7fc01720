"""A synthetic OCOP registry feed for the sync benchmark (bench/sync.py), deterministic per seed.

    .venv/bin/python bench/generate_records.py --records 20000 --seed 1 --out bench/out/registry-bench.json

Names, product sets and producers are drawn from the 50 real records of
../shared/data/registry-demo.json; addresses from real units of Đồng Nai and the old
Bình Phước (before the July 2025 reorganisation, with a district) and of today's Đồng Nai.

The mix, counted over each product's *current* certificate (the record that decides
whether the product may be listed):

    70 %  valid: active, 3–5★, valid today (a few end exactly today)
    10 %  expired_active: status "active" but valid_until has passed (a few ended yesterday)
    10 %  expired: status "expired"
     5 %  low_stars: active, valid dates, 1–2★
     2 %  inactive: revoked or suspended
     3 %  broken, spread evenly over seven kinds (CONTRACT.md, "What the registry does not promise"):
          missing_required, stars_out_of_range (mostly 7), bad_dates, unknown_status, wrong_types
          — which a validating sync must quarantine — and nfd_text, markup (in descriptions),
          which are otherwise valid and must be cleaned, not refused.

On top of those, so that the file holds exactly `--records` records:

    ~1/3 of products have an older certificate, status "superseded", named by the newer record's
         `supersedes` (re-evaluation 2–3 years after the first decision);
    history: half of the quarantine kinds first arrive as a valid revision, so the broken
         revision hits a certificate the marketplace already holds;
    ~1 % repeats: a record delivered again with the same revision (identical, or a later updated_at);
    ~1 % stale: a lower revision of a certificate, with an updated_at later than its current one.

About 3,000 producers per 20,000 records (scaled with --records) share the products.
`updated_at` runs from 2022 (the registry's start: older certificates were imported then) to
the day before `today`; `today` is the real date in Asia/Ho_Chi_Minh unless given.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("OCOP_SHARED_DIR") or REPO_ROOT.parent / "shared")
DEMO_FILE = SHARED_DIR / "data" / "registry-demo.json"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC

# Kinds of record (the tag of each record in Feed.tags).
VALID = "valid"
EXPIRED_ACTIVE = "expired_active"
EXPIRED = "expired"
LOW_STARS = "low_stars"
INACTIVE = "inactive"
MISSING_REQUIRED = "missing_required"
STARS_OUT_OF_RANGE = "stars_out_of_range"
BAD_DATES = "bad_dates"
UNKNOWN_STATUS = "unknown_status"
WRONG_TYPES = "wrong_types"
NFD_TEXT = "nfd_text"
MARKUP = "markup"
SUPERSEDED = "superseded"
HISTORY = "history"
REPEAT = "repeat"
STALE = "stale"

QUARANTINE_KINDS = (MISSING_REQUIRED, STARS_OUT_OF_RANGE, BAD_DATES, UNKNOWN_STATUS, WRONG_TYPES)
DIRTY_KINDS = (NFD_TEXT, MARKUP)
BROKEN_KINDS = QUARANTINE_KINDS + DIRTY_KINDS
LISTABLE_KINDS = (VALID, *DIRTY_KINDS)
# Records that are well formed (CONTRACT.md) and NFC, without markup.
WELL_FORMED_KINDS = (VALID, EXPIRED_ACTIVE, EXPIRED, LOW_STARS, INACTIVE, SUPERSEDED, HISTORY, REPEAT, STALE)

# Shares of the products' current certificates.
CURRENT_MIX = {
    VALID: 0.70,
    EXPIRED_ACTIVE: 0.10,
    EXPIRED: 0.10,
    LOW_STARS: 0.05,
    INACTIVE: 0.02,
    **{kind: 0.03 / len(BROKEN_KINDS) for kind in BROKEN_KINDS},
}
SUPERSEDED_SHARE = 1 / 3  # of products
HISTORY_SHARE = 0.5  # of the quarantine kinds
REPEAT_SHARE = 0.01  # of records
STALE_SHARE = 0.01  # of records
PRODUCERS_PER_RECORD = 3000 / 20000

REGISTRY_START = dt.datetime(2022, 1, 4, 1, 0, tzinfo=UTC)
OCOP_START = dt.date(2018, 6, 1)
REQUIRED_FIELDS = (
    ("certificate_id",),
    ("revision",),
    ("updated_at",),
    ("status",),
    ("stars",),
    ("valid_until",),
    ("product", "product_id"),
    ("product", "name"),
    ("producer", "producer_id"),
    ("producer", "name"),
)
STATUSES = ("active", "expired", "revoked", "suspended", "superseded")

# Real units: (province, district) -> [(commune, lat, lng)] before July 2025 ...
LEGACY_UNITS = {
    ("Tỉnh Bình Phước", "Thị xã Phước Long"): [
        ("Phường Thác Mơ", 11.85, 107.001),
        ("Phường Long Thủy", 11.854, 106.996),
        ("Phường Phước Bình", 11.808, 106.965),
        ("Phường Long Phước", 11.818, 106.989),
        ("Phường Sơn Giang", 11.829, 106.989),
    ],
    ("Tỉnh Bình Phước", "Thành phố Đồng Xoài"): [
        ("Phường Tân Phú", 11.549, 106.895),
        ("Phường Tân Đồng", 11.556, 106.909),
        ("Phường Tân Bình", 11.519, 106.886),
        ("Phường Tân Xuân", 11.515, 106.906),
        ("Phường Tân Thiện", 11.534, 106.915),
    ],
    ("Tỉnh Bình Phước", "Thị xã Bình Long"): [
        ("Phường Hưng Chiến", 11.638, 106.594),
        ("Phường An Lộc", 11.663, 106.584),
        ("Phường Phú Thịnh", 11.661, 106.62),
        ("Phường Phú Đức", 11.645, 106.614),
        ("Xã Thanh Lương", 11.724, 106.617),
    ],
    ("Tỉnh Bình Phước", "Huyện Bù Gia Mập"): [
        ("Xã Bù Gia Mập", 12.142, 107.172),
        ("Xã Đak Ơ", 12.046, 107.094),
        ("Xã Đức Hạnh", 11.875, 107.042),
        ("Xã Phú Văn", 11.939, 107.066),
        ("Xã Đa Kia", 11.884, 106.9),
    ],
    ("Tỉnh Bình Phước", "Huyện Lộc Ninh"): [
        ("Thị trấn Lộc Ninh", 11.844, 106.591),
        ("Xã Lộc Tấn", 11.908, 106.499),
        ("Xã Lộc Thiện", 11.842, 106.499),
        ("Xã Lộc Phú", 11.851, 106.712),
        ("Xã Lộc Điền", 11.805, 106.659),
    ],
    ("Tỉnh Bình Phước", "Huyện Bù Đốp"): [
        ("Thị trấn Thanh Bình", 11.96, 106.824),
        ("Xã Hưng Phước", 12.044, 106.806),
        ("Xã Phước Thiện", 12.027, 106.889),
        ("Xã Thiện Hưng", 12.001, 106.782),
        ("Xã Thanh Hòa", 11.94, 106.788),
    ],
    ("Tỉnh Bình Phước", "Huyện Hớn Quản"): [
        ("Xã Thanh An", 11.739, 106.735),
        ("Xã An Phú", 11.67, 106.517),
        ("Xã Tân Hưng", 11.64, 106.747),
        ("Xã Minh Tâm", 11.634, 106.543),
        ("Xã Thanh Bình", 11.61, 106.6),
    ],
    ("Tỉnh Bình Phước", "Huyện Đồng Phú"): [
        ("Thị trấn Tân Phú", 11.549, 106.895),
        ("Xã Đồng Tâm", 11.613, 107.019),
        ("Xã Tân Hưng", 11.491, 107.03),
        ("Xã Tân Lập", 11.405, 106.83),
        ("Xã Thuận Phú", 11.58, 106.83),
    ],
    ("Tỉnh Bình Phước", "Huyện Bù Đăng"): [
        ("Thị trấn Đức Phong", 11.813, 107.237),
        ("Xã Phú Sơn", 11.922, 107.349),
        ("Xã Bom Bo", 11.891, 107.137),
        ("Xã Đồng Nai", 11.79, 107.349),
        ("Xã Nghĩa Trung", 11.617, 107.125),
    ],
    ("Tỉnh Bình Phước", "Thị xã Chơn Thành"): [
        ("Phường Hưng Long", 11.439, 106.617),
        ("Phường Thành Tâm", 11.388, 106.635),
        ("Xã Minh Lập", 11.546, 106.753),
        ("Xã Quang Minh", 11.565, 106.712),
        ("Phường Minh Hưng", 11.483, 106.617),
    ],
    ("Tỉnh Bình Phước", "Huyện Phú Riềng"): [
        ("Xã Long Bình", 11.823, 106.806),
        ("Xã Bình Sơn", 11.838, 106.924),
        ("Xã Phước Tân", 11.755, 107.03),
        ("Xã Long Hà", 11.735, 106.806),
        ("Xã Phú Trung", 11.678, 107.019),
    ],
    ("Tỉnh Đồng Nai", "Thành phố Biên Hòa"): [
        ("Phường Trảng Dài", 10.986, 106.868),
        ("Phường Tân Hiệp", 10.966, 106.867),
        ("Phường Quang Vinh", 10.956, 106.814),
        ("Phường Bửu Hòa", 10.927, 106.816),
        ("Phường Hóa An", 10.934, 106.797),
    ],
    ("Tỉnh Đồng Nai", "Thành phố Long Khánh"): [
        ("Phường Xuân Bình", 10.932, 107.239),
        ("Phường Xuân Hòa", 10.92, 107.247),
        ("Xã Bình Lộc", 10.993, 107.237),
        ("Phường Suối Tre", 10.946, 107.208),
        ("Phường Xuân Lập", 10.909, 107.178),
    ],
    ("Tỉnh Đồng Nai", "Huyện Tân Phú"): [
        ("Thị trấn Tân Phú", 11.268, 107.429),
        ("Xã Phú An", 11.366, 107.468),
        ("Xã Phú Thịnh", 11.327, 107.397),
        ("Xã Phú Xuân", 11.297, 107.45),
        ("Xã Phú Bình", 11.26, 107.509),
    ],
    ("Tỉnh Đồng Nai", "Huyện Vĩnh Cửu"): [
        ("Thị trấn Vĩnh An", 11.086, 107.042),
        ("Xã Trị An", 11.11, 106.968),
        ("Xã Vĩnh Tân", 11.044, 107.019),
        ("Xã Thạnh Phú", 11.016, 106.836),
        ("Xã Tân Bình", 10.999, 106.807),
    ],
    ("Tỉnh Đồng Nai", "Huyện Định Quán"): [
        ("Thị trấn Định Quán", 11.194, 107.343),
        ("Xã Phú Tân", 11.263, 107.373),
        ("Xã Phú Lợi", 11.224, 107.391),
        ("Xã Ngọc Định", 11.202, 107.302),
        ("Xã Gia Canh", 11.119, 107.409),
    ],
    ("Tỉnh Đồng Nai", "Huyện Trảng Bom"): [
        ("Thị trấn Trảng Bom", 10.951, 107.013),
        ("Xã Bàu Hàm", 11.0, 107.107),
        ("Xã Đông Hòa", 10.872, 107.06),
        ("Xã Tây Hòa", 10.952, 107.051),
        ("Xã Đồi 61", 10.918, 107.024),
    ],
    ("Tỉnh Đồng Nai", "Huyện Thống Nhất"): [
        ("Xã Gia Tân 1", 11.075, 107.143),
        ("Xã Gia Tân 3", 11.05, 107.19),
        ("Xã Quang Trung", 10.992, 107.16),
        ("Xã Hưng Lộc", 10.929, 107.113),
        ("Xã Xuân Thiện", 11.036, 107.237),
    ],
    ("Tỉnh Đồng Nai", "Huyện Cẩm Mỹ"): [
        ("Xã Sông Nhạn", 10.842, 107.113),
        ("Xã Nhân Nghĩa", 10.841, 107.237),
        ("Thị trấn Long Giao", 10.827, 107.228),
        ("Xã Thừa Đức", 10.76, 107.131),
        ("Xã Xuân Bảo", 10.859, 107.296),
    ],
    ("Tỉnh Đồng Nai", "Huyện Long Thành"): [
        ("Thị trấn Long Thành", 10.778, 106.945),
        ("Xã Bình An", 10.84, 107.048),
        ("Xã Lộc An", 10.811, 106.989),
        ("Xã Tam An", 10.811, 106.9),
        ("Xã Long An", 10.757, 106.989),
    ],
    ("Tỉnh Đồng Nai", "Huyện Xuân Lộc"): [
        ("Thị trấn Gia Ray", 10.926, 107.406),
        ("Xã Xuân Thành", 10.996, 107.468),
        ("Xã Xuân Hòa", 10.877, 107.545),
        ("Xã Suối Cát", 10.92, 107.367),
        ("Xã Xuân Định", 10.883, 107.261),
    ],
    ("Tỉnh Đồng Nai", "Huyện Nhơn Trạch"): [
        ("Xã Phước Thiền", 10.76, 106.93),
        ("Xã Đại Phước", 10.744, 106.824),
        ("Xã Phú Hữu", 10.725, 106.777),
        ("Xã Phú Thạnh", 10.721, 106.847),
        ("Xã Long Thọ", 10.694, 106.954),
    ],
}
# ... and communes of today's Tỉnh Đồng Nai: (commune, code, lat, lng).
TODAY_UNITS = [
    ("Phường Bình Phước", "25195", 11.521, 106.899),
    ("Phường Phước Long", "25217", 11.819, 107.018),
    ("Xã Bù Gia Mập", "25222", 12.136, 107.168),
    ("Xã Đa Kia", "25231", 11.903, 106.863),
    ("Xã Phú Riềng", "25252", 11.682, 106.922),
    ("Xã Phú Trung", "25261", 11.724, 107.017),
    ("Xã Lộc Ninh", "25270", 11.839, 106.635),
    ("Xã Lộc Thạnh", "25280", 11.937, 106.576),
    ("Xã Lộc Thành", "25294", 11.766, 106.494),
    ("Xã Thiện Hưng", "25308", 11.969, 106.798),
    ("Xã Tân Tiến", "25318", 11.927, 106.656),
    ("Phường An Lộc", "25333", 11.702, 106.582),
    ("Xã Minh Đức", "25349", 11.624, 106.522),
    ("Xã Tân Khai", "25357", 11.528, 106.542),
    ("Xã Tân Lợi", "25378", 11.433, 106.991),
    ("Xã Đồng Tâm", "25390", 11.571, 107.021),
    ("Xã Đak Nhau", "25399", 11.973, 107.222),
    ("Xã Bom Bo", "25405", 11.87, 107.15),
    ("Xã Phước Sơn", "25420", 11.625, 107.223),
    ("Phường Minh Hưng", "25441", 11.485, 106.634),
    ("Phường Trảng Dài", "25993", 11.003, 106.883),
    ("Phường Tam Hiệp", "26017", 10.954, 106.859),
    ("Phường Trấn Biên", "26041", 10.938, 106.835),
    ("Phường Long Khánh", "26080", 10.922, 107.288),
    ("Phường Bảo Vinh", "26098", 10.968, 107.278),
    ("Phường Hàng Gòn", "26113", 10.879, 107.217),
    ("Xã Đak Lua", "26119", 11.464, 107.32),
    ("Xã Tà Lài", "26134", 11.354, 107.391),
    ("Xã Trị An", "26170", 11.217, 107.041),
    ("Xã Tân An", "26179", 11.035, 106.973),
    ("Xã Định Quán", "26206", 11.14, 107.356),
    ("Xã Phú Vinh", "26215", 11.259, 107.359),
    ("Xã La Ngà", "26227", 11.15, 107.216),
    ("Xã Bàu Hàm", "26254", 11.025, 107.085),
    ("Xã Hưng Thịnh", "26281", 10.925, 107.065),
    ("Xã Thống Nhất", "26299", 11.112, 107.148),
    ("Xã Dầu Giây", "26326", 10.921, 107.129),
    ("Xã Cẩm Mỹ", "26341", 10.806, 107.258),
    ("Xã Xuân Đông", "26359", 10.805, 107.358),
    ("Xã Long Thành", "26368", 10.782, 107.016),
    ("Phường Phước Tân", "26377", 10.914, 106.946),
    ("Xã An Phước", "26383", 10.806, 106.927),
    ("Xã Long Phước", "26413", 10.733, 107.056),
    ("Xã Xuân Lộc", "26425", 10.938, 107.387),
    ("Xã Xuân Thành", "26434", 11.01, 107.392),
    ("Xã Xuân Phú", "26458", 10.886, 107.345),
    ("Xã Nhơn Trạch", "26485", 10.737, 106.893),
    ("Xã Phước An", "26503", 10.657, 106.932),
]

GROUPS_2023 = {
    "I": "Thực phẩm",
    "II": "Đồ uống",
    "III": "Dược liệu và sản phẩm từ dược liệu",
    "IV": "Thủ công mỹ nghệ",
    "V": "Sinh vật cảnh",
    "VI": "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
}
GROUP_2018_OF_2023 = {
    "I": ("1", "Thực phẩm"),
    "II": ("2", "Đồ uống"),
    "III": ("3", "Thảo dược"),
    "IV": ("5", "Lưu niệm – nội thất – trang trí"),
    "V": ("5", "Lưu niệm – nội thất – trang trí"),
    "VI": ("6", "Dịch vụ du lịch nông thôn, bán hàng"),
}
# Products of the groups the demo file lacks: (name, name_en, 2023 group code, product set).
EXTRA_PRODUCTS = [
    ("Bưởi Tân Triều", "Tan Trieu pomelo", "I", "Rau, củ, quả, hạt tươi"),
    ("Chôm chôm Long Khánh", "Long Khanh rambutan", "I", "Rau, củ, quả, hạt tươi"),
    ("Sầu riêng Ri6", "Ri6 durian", "I", "Rau, củ, quả, hạt tươi"),
    ("Mật ong hoa cà phê", "coffee blossom honey", "I", "Mật ong, mật khác và nông sản thực phẩm khác"),
    ("Rượu đế Bàu Hàm", "Bau Ham rice spirit", "II", "Đồ uống có cồn"),
    ("Trà mãng cầu", "soursop tea", "II", "Trà và các sản phẩm từ trà"),
    ("Nấm linh chi đỏ", "red lingzhi mushroom", "III", "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền"),
    ("Giỏ đan lục bình", "water hyacinth basket", "IV", "Thủ công mỹ nghệ gia dụng"),
    ("Mai vàng bonsai", "yellow apricot bonsai", "V", "Hoa, cây cảnh"),
    ("Điểm du lịch sinh thái vườn bưởi", "pomelo orchard eco-tourism", "VI", "Du lịch sinh thái"),
]
VARIANTS = ["hộp 500g", "túi 250g", "hũ 300g", "loại đặc biệt", "hộp quà", "túi 1kg"]
NAME_PREFIXES = {
    "enterprise": ["Công ty TNHH", "Công ty TNHH MTV", "Công ty Cổ phần", "Doanh nghiệp tư nhân"],
    "cooperative": ["Hợp tác xã", "Hợp tác xã Nông nghiệp", "Hợp tác xã Dịch vụ Nông nghiệp"],
    "cooperative_group": ["Tổ hợp tác"],
    "household": ["Cơ sở", "Hộ kinh doanh", "Cơ sở sản xuất"],
}
KIND_WEIGHTS = {"enterprise": 35, "cooperative": 35, "cooperative_group": 5, "household": 25}
# Longest first: what to cut off a demo producer's name to keep its own part.
DEMO_PREFIXES = sorted(
    [
        "Công ty TNHH MTV Sản xuất - Thương mại - Dịch vụ",
        "Công ty TNHH Xuất nhập khẩu (MTV)",
        "Công ty TNHH Xuất nhập khẩu",
        "Công ty TNHH Thương mại",
        "Công ty Cổ phần Tập đoàn",
        "Cơ sở sản xuất kinh doanh",
        "Hợp tác xã Dịch vụ Nông nghiệp",
        *(prefix for prefixes in NAME_PREFIXES.values() for prefix in prefixes),
        "Công ty",
    ],
    key=len,
    reverse=True,
)
TRADES = ["Nông sản", "Hạt điều", "Cà phê", "Mật ong", "Trái cây", "Dược liệu", "Ca cao", "Thực phẩm", "Tiêu"]
HAMLETS = ["Tân Triều", "Bến Cam", "Ba Tầng", "Hòa Bình", "Tân Lập", "Phú Lâm", "Bình Lộc", "Cây Gáo", "Suối Tre"]
STREETS = ["Hùng Vương", "Quốc lộ 1A", "Quốc lộ 20", "Quốc lộ 14", "ĐT 741", "Trần Hưng Đạo", "Nguyễn Ái Quốc"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Quốc", "Thành", "Kim"]
GIVEN_NAMES = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Lan", "Long", "Mai"]
GIVEN_NAMES += ["Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến"]
SENTENCES = [
    "Nguyên liệu tuyển chọn từ vùng trồng của địa phương.",
    "Không chất bảo quản, không phẩm màu.",
    "Sản xuất theo quy trình VietGAP.",
    "Đóng gói hút chân không, bảo quản nơi khô ráo, thoáng mát.",
    "Sản phẩm đặc trưng của vùng đất đỏ bazan.",
]
MARKUP_TEMPLATES = [
    "<p><b>{name}</b> – đặc sản <i>Đồng Nai</i>.</p><p>{sentence}</p>",
    "{name}<script>alert('ocop')</script> {sentence}",
    '<div style="color:red">{name}</div><br><a href="javascript:void(0)">Mua ngay</a> {sentence}',
    "{name} &amp; quà biếu &lt;Tết&gt; <img src=x onerror=alert(1)> {sentence}",
    "<h2>{name}</h2><ul><li>{sentence}</li><li>Đạt OCOP</li></ul><!-- nhập từ Word -->",
]
BAD_MEDIA_PREFIXES = ("broken-", "bomb-", "notimage-")


@dataclass
class Feed:
    """The records of the feed, the kind of each (same order), and what the mix came to."""

    records: list[Any]
    tags: list[str]
    summary: dict[str, Any] = field(default_factory=dict)


def local_today() -> dt.date:
    return dt.datetime.now(VN).date()


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def allocate(total: int, shares: dict[str, float], rng: random.Random) -> list[str]:
    """`total` labels in the given shares (largest remainder, at least one of each when there is room), shuffled."""
    exact = {label: total * share for label, share in shares.items()}
    counts = {label: int(value) for label, value in exact.items()}
    if total >= len(shares):
        for label in counts:
            counts[label] = max(counts[label], 1)
    by_remainder = sorted(exact, key=lambda label: exact[label] - int(exact[label]), reverse=True)
    i = 0
    while sum(counts.values()) < total:
        counts[by_remainder[i % len(by_remainder)]] += 1
        i += 1
    while sum(counts.values()) > total:  # the minimum of one each overshot: take from the largest
        counts[max(counts, key=counts.get)] -= 1
    labels = [label for label, count in counts.items() for _ in range(count)]
    rng.shuffle(labels)
    return labels


def load_demo(path: Path = DEMO_FILE) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as f:
            records = json.load(f)
    except FileNotFoundError:
        raise SystemExit(f"{path} is missing: the generator draws its names from it (set OCOP_SHARED_DIR)") from None
    return [r for r in records if isinstance(r, dict) and isinstance(r.get("product"), dict)]


class _Generator:
    def __init__(self, rng: random.Random, today: dt.date, demo: list[dict]) -> None:
        self.rng = rng
        self.today = today
        # Nothing generated is later than the start of today in Vietnam.
        self.cap = dt.datetime.combine(today, dt.time(0, 0), tzinfo=VN).astimezone(UTC) - dt.timedelta(seconds=1)
        self.cert_seq = 0
        cores, seen = [], set()
        for record in demo:
            core = _producer_core(record["producer"].get("name") or "")
            if core and core not in seen:
                seen.add(core)
                cores.append(core)
        places = sorted({_unit_name(c) for units in LEGACY_UNITS.values() for c, _, _ in units})
        self.demo_cores = cores
        self.place_cores = [f"{trade} {place}" for trade in TRADES for place in places]
        templates, seen = [], set()
        for record in demo:
            product = record["product"]
            group = product.get("group") or {}
            code = group.get("code") if group.get("scheme") == "2023" else None
            if product.get("name") and code in GROUPS_2023 and product["name"] not in seen:
                seen.add(product["name"])
                templates.append((product["name"], product.get("name_en"), code, product.get("product_set")))
        self.templates = templates + EXTRA_PRODUCTS

    # Helpers

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def moment_on(self, day: dt.date, *, spread_days: int = 0) -> dt.datetime:
        """Office hours in Vietnam on `day` (or up to `spread_days` later), never after the cap."""
        offset = dt.timedelta(days=self.rng.randint(0, spread_days), seconds=self.rng.randint(8 * 3600, 17 * 3600))
        moment = dt.datetime.combine(day, dt.time(0, 0), tzinfo=VN) + offset
        return min(moment.astimezone(UTC), self.cap)

    def moment_between(self, low: dt.datetime, high: dt.datetime) -> dt.datetime:
        low, high = min(low, self.cap), min(high, self.cap)
        if high <= low:
            return low
        return low + dt.timedelta(seconds=self.rng.randint(0, int((high - low).total_seconds())))

    def person(self) -> str:
        return f"{self.rng.choice(SURNAMES)} {self.rng.choice(MIDDLE_NAMES)} {self.rng.choice(GIVEN_NAMES)}"

    # Producers and products

    def producers(self, count: int) -> list[dict]:
        kinds = list(KIND_WEIGHTS)
        weights = list(KIND_WEIGHTS.values())
        used: Counter[str] = Counter()
        producers = []
        for number in range(1, count + 1):
            kind = self.rng.choices(kinds, weights)[0]
            core = self.rng.choice(self.demo_cores if self.chance(0.4) else self.place_cores)
            name = f"{self.rng.choice(NAME_PREFIXES[kind])} {core}"
            used[name] += 1
            if used[name] > 1:
                name = f"{name} {used[name]}"
            address, in_binh_phuoc = self.address()
            producers.append(
                {
                    "producer_id": f"DNS-{number:04d}",
                    "name": name,
                    "kind": kind,
                    "tax_code": (
                        f"{'38' if in_binh_phuoc else '36'}{self.rng.randint(0, 99_999_999):08d}"
                        if kind != "household" or self.chance(0.3)
                        else None
                    ),
                    "representative": self.person() if self.chance(0.7) else None,
                    "phone": self.phone(in_binh_phuoc) if self.chance(0.7) else None,
                    "email": f"lienhe{number}@{_ascii(core)}.vn" if self.chance(0.4) else None,
                    "address": address,
                    "_brand": core if core in self.demo_cores else None,
                }
            )
        return producers

    def phone(self, in_binh_phuoc: bool) -> str:
        if self.chance(0.5):
            return f"0{self.rng.choice(['90', '91', '93', '97', '98', '88'])}{self.rng.randint(0, 9_999_999):07d}"
        return f"{'0271' if in_binh_phuoc else '0251'} {self.rng.randint(3_000_000, 3_999_999)}"

    def address(self) -> tuple[dict, bool]:
        """An address as the registry holds it, and whether it lies in the former Bình Phước."""
        line = None
        if self.chance(0.7):
            line = self.rng.choice(
                [
                    f"Ấp {self.rng.choice(HAMLETS)}",
                    f"Tổ {self.rng.randint(1, 30)}, ấp {self.rng.choice(HAMLETS)}",
                    f"Số {self.rng.randint(1, 500)}, đường {self.rng.choice(STREETS)}",
                    f"Khu phố {self.rng.randint(1, 12)}",
                ]
            )
        if self.chance(0.55):  # entered before July 2025: with a district, maybe in Bình Phước
            province = "Tỉnh Bình Phước" if self.chance(0.4) else "Tỉnh Đồng Nai"
            district = self.rng.choice(sorted(d for p, d in LEGACY_UNITS if p == province))
            commune, lat, lng = self.rng.choice(LEGACY_UNITS[(province, district)])
            code, in_binh_phuoc = None, province == "Tỉnh Bình Phước"
            if self.chance(0.1):
                commune = None
        else:
            province, district = "Tỉnh Đồng Nai", None
            commune, code, lat, lng = self.rng.choice(TODAY_UNITS)
            in_binh_phuoc = code < "25500"  # the communes of the former Bình Phước come first
            if self.chance(0.5):
                code = None
        located = self.chance(0.6)
        address = {
            "line": line,
            "commune": commune,
            "district": district,
            "province": province,
            "commune_code": code,
            "lat": round(lat + self.rng.uniform(-0.01, 0.01), 5) if located else None,
            "lng": round(lng + self.rng.uniform(-0.01, 0.01), 5) if located else None,
        }
        return address, in_binh_phuoc

    def product(self, number: int, producer: dict) -> dict:
        name, name_en, code, product_set = self.rng.choice(self.templates)
        if producer["_brand"] and self.chance(0.7):
            name = f"{name} {producer['_brand']}"
        if self.chance(0.3):
            name = f"{name} – {self.rng.choice(VARIANTS)}"
        address = producer["address"]
        place = ", ".join(p for p in (address["commune"], address["district"], address["province"]) if p)
        description = None
        if self.chance(0.7):
            description = f"{name} do {producer['name']} sản xuất tại {place}. " + " ".join(
                self.rng.sample(SENTENCES, self.rng.randint(1, 2))
            )
        images = [{"media_id": f"img-{number:06d}-{k}", "sha256": None} for k in range(1, self.rng.randint(1, 3) + 1)]
        if self.chance(0.05):
            images = []
        elif self.chance(0.005):
            images[0]["media_id"] = self.rng.choice(BAD_MEDIA_PREFIXES) + images[0]["media_id"]
        return {
            "product_id": f"DNP-{number:06d}",
            "name": name,
            "name_en": name_en if name_en and self.chance(0.7) else None,
            "group": {"scheme": "2023", "code": code, "name": GROUPS_2023[code]},
            "product_set": product_set,
            "description": description,
            "images": images,
        }

    # Certificates

    def certificate(
        self,
        *,
        decision: dt.date,
        stars: int,
        status: str,
        revision: int,
        updated_at: dt.datetime,
        product: dict,
        producer: dict,
        supersedes: str | None = None,
    ) -> dict:
        self.cert_seq += 1
        level = self.council_level(stars, decision, producer)
        return {
            "certificate_id": f"DN-{decision.year}-{self.cert_seq:05d}",
            "revision": revision,
            "updated_at": stamp(updated_at),
            "status": status,
            "stars": stars,
            "score": self.score(stars) if self.chance(0.8) else None,
            "council_level": level,
            "decision": {
                "number": self.decision_number(level, decision) if self.chance(0.95) else None,
                "date": decision.isoformat(),
                "issuer": self.issuer(level, decision, producer) if self.chance(0.9) else None,
            },
            "valid_from": decision.isoformat() if self.chance(0.9) else None,
            "valid_until": add_months(decision, 36).isoformat(),
            "supersedes": supersedes,
            "product": copy.deepcopy(product),
            "producer": {k: copy.deepcopy(v) for k, v in producer.items() if not k.startswith("_")},
        }

    def score(self, stars: int) -> float:
        low, high = {1: (10, 29.9), 2: (30, 49.9), 3: (50, 69.9), 4: (70, 89.9), 5: (90, 100)}[stars]
        return round(self.rng.uniform(low, high), 1)

    def council_level(self, stars: int, decision: dt.date, producer: dict) -> str:
        if stars == 5:
            return "central"
        if stars == 4:
            return "province"
        district_era = dt.date(2023, 1, 1) <= decision <= dt.date(2025, 6, 30)
        return "district" if district_era and self.chance(0.6) else "province"

    def decision_number(self, level: str, decision: dt.date) -> str:
        number = self.rng.randint(100, 4999)
        if level == "central":
            return f"{number}/QĐ-BNNMT" if decision >= dt.date(2025, 3, 1) else f"{number}/QĐ-BNN-VPĐP"
        return f"{number}/QĐ-UBND"

    def issuer(self, level: str, decision: dt.date, producer: dict) -> str:
        if level == "central":
            if decision >= dt.date(2025, 3, 1):
                return "Bộ Nông nghiệp và Môi trường"
            return "Bộ Nông nghiệp và Phát triển nông thôn"
        address = producer["address"]
        old_binh_phuoc = address["province"] == "Tỉnh Bình Phước" and decision < dt.date(2025, 7, 1)
        if level == "district" and address["district"]:
            return f"UBND {address['district'][0].lower()}{address['district'][1:]}"
        return "UBND tỉnh Bình Phước" if old_binh_phuoc else "UBND tỉnh Đồng Nai"

    def stars(self, low: bool = False) -> int:
        if low:
            return self.rng.choice([1, 2, 2])
        return self.rng.choices([3, 4, 5], [65, 30, 5])[0]

    def revision(self) -> int:
        return self.rng.choices([1, 2, 3, 4], [70, 20, 8, 2])[0]

    def current_decision(self) -> dt.date:
        """A decision date whose 36 months cover today (a few end exactly today)."""
        earliest = add_months(self.today, -36)
        if self.chance(0.01) and add_months(earliest, 36) == self.today:
            return earliest
        return self.today - dt.timedelta(days=self.rng.randint(1, (self.today - earliest).days - 1))

    def past_decision(self) -> dt.date:
        """A decision date whose 36 months ended before today (a few ended yesterday)."""
        if self.chance(0.05):
            until = self.today - dt.timedelta(days=1)
        else:
            until = dt.date(2022, 1, 1) + dt.timedelta(
                days=self.rng.randint(0, (self.today - dt.date(2022, 1, 3)).days)
            )
        decision = add_months(until, -36)
        while add_months(decision, 36) >= self.today:
            decision -= dt.timedelta(days=1)
        return decision

    def issued_at(self, decision: dt.date) -> dt.datetime:
        """When the registry first held the certificate: soon after the decision, or at its start in 2022."""
        issued = self.moment_on(decision, spread_days=20)
        if issued < REGISTRY_START:
            issued = self.moment_between(REGISTRY_START, REGISTRY_START + dt.timedelta(days=180))
        return issued

    def current(self, kind: str, product: dict, producer: dict) -> dict:
        """The current certificate of one product, of the given kind."""
        base_kind = VALID if kind in BROKEN_KINDS else kind
        decision = self.current_decision() if base_kind in (VALID, LOW_STARS, INACTIVE) else self.past_decision()
        stars = self.stars(low=base_kind == LOW_STARS)
        issued = self.issued_at(decision)
        revision, status, updated = self.revision(), "active", issued
        if base_kind == EXPIRED:
            status, revision = "expired", max(2, revision)
            expiry = add_months(decision, 36) + dt.timedelta(days=1)
            updated = max(issued, self.moment_on(expiry, spread_days=15))
        elif base_kind == INACTIVE:
            status, revision = self.rng.choice(["revoked", "revoked", "suspended"]), max(2, revision)
            updated = self.moment_between(issued + dt.timedelta(days=30), self.cap)
        elif revision > 1:
            updated = self.moment_between(issued + dt.timedelta(days=1), self.cap)
        if decision < dt.date(2023, 1, 1) and self.chance(0.6):  # rated under the 2018 groups
            group = product["group"]
            product = {
                **product,
                "group": {
                    "scheme": "2018",
                    **dict(zip(("code", "name"), GROUP_2018_OF_2023[group["code"]], strict=True)),
                },
            }
        return self.certificate(
            decision=decision,
            stars=stars,
            status=status,
            revision=revision,
            updated_at=updated,
            product=product,
            producer=producer,
        )

    def predecessor(self, current: dict) -> dict | None:
        """The older certificate a re-evaluation superseded, or None when it would predate OCOP."""
        decision_new = dt.date.fromisoformat(current["decision"]["date"])
        decision = decision_new - dt.timedelta(days=self.rng.randint(730, 1060))
        if decision < OCOP_START:
            return None
        stars = current["stars"] if current["stars"] <= 3 or self.chance(0.6) else current["stars"] - 1
        stars = min(max(stars, 3), 5)
        # Retired when the new certificate was issued, with the same product and producer blocks.
        issued_new = self.issued_at(decision_new)
        retired = self.moment_between(issued_new, issued_new + dt.timedelta(hours=2))
        old = self.certificate(
            decision=decision,
            stars=stars,
            status="superseded",
            revision=self.rng.choice([2, 2, 3]),
            updated_at=retired,
            product=current["product"],
            producer=current["producer"],
        )
        current["supersedes"] = old["certificate_id"]
        return old

    # Breaking records

    def break_record(self, kind: str, record: dict, *, keep_identity: bool = False) -> dict:
        """A copy of a valid record, broken (or dirtied) in the given way.

        keep_identity: keep certificate_id, revision and updated_at usable, so that the broken
        record is recognisably a later revision of a certificate already delivered.
        """
        bad = copy.deepcopy(record)
        if kind == MISSING_REQUIRED:
            paths = REQUIRED_FIELDS[3:] if keep_identity else REQUIRED_FIELDS
            path = self.rng.choice(paths)
            target = bad
            for key in path[:-1]:
                target = target[key]
            del target[path[-1]]
        elif kind == STARS_OUT_OF_RANGE:
            bad["stars"] = self.rng.choice([7, 7, 7, 0, 6, 10])
            bad["score"] = None
        elif kind == BAD_DATES:
            hows = ["impossible", "dmy", "empty", "no_zone", "before_from", "too_long"]
            how = self.rng.choice(hows[:3] + hows[4:] if keep_identity else hows)
            until = dt.date.fromisoformat(bad["valid_until"])
            if how == "impossible":
                bad["valid_until"] = f"{until.year}-02-30"
            elif how == "dmy":
                bad["valid_until"] = until.strftime("%d/%m/%Y")
            elif how == "empty":
                bad["valid_until"] = ""
            elif how == "no_zone":
                bad["updated_at"] = bad["updated_at"].replace("T", " ").removesuffix("Z")
            elif how == "before_from":
                decision = bad["decision"]["date"]
                bad["valid_from"] = decision
                bad["valid_until"] = (dt.date.fromisoformat(decision) - dt.timedelta(days=365)).isoformat()
            else:  # valid for ten years
                bad["valid_until"] = add_months(dt.date.fromisoformat(bad["decision"]["date"]), 120).isoformat()
        elif kind == UNKNOWN_STATUS:
            bad["status"] = self.rng.choice(["approved", "pending", "đang hiệu lực", "cancelled", "draft"])
        elif kind == WRONG_TYPES:
            hows = ["stars_str", "revision_str", "stars_float", "until_int", "product_str", "producer"]
            how = self.rng.choice([h for h in hows if h != "revision_str"] if keep_identity else hows)
            if how == "stars_str":
                bad["stars"] = str(bad["stars"])
            elif how == "revision_str":
                bad["revision"] = str(bad["revision"])
            elif how == "stars_float":
                bad["stars"] = bad["stars"] + 0.5
            elif how == "until_int":
                bad["valid_until"] = int(bad["valid_until"].replace("-", ""))
            elif how == "product_str":
                bad["product"] = bad["product"]["product_id"]
            else:
                bad["producer"] = None
        elif kind == NFD_TEXT:
            product, producer = bad["product"], bad["producer"]
            product["name"] = unicodedata.normalize("NFD", product["name"])
            if product["description"]:
                product["description"] = unicodedata.normalize("NFD", product["description"])
            producer["name"] = unicodedata.normalize("NFD", producer["name"])
            if producer["address"]["commune"]:
                producer["address"]["commune"] = unicodedata.normalize("NFD", producer["address"]["commune"])
        elif kind == MARKUP:
            template = self.rng.choice(MARKUP_TEMPLATES)
            bad["product"]["description"] = template.format(
                name=bad["product"]["name"], sentence=self.rng.choice(SENTENCES)
            )
        return bad

    # The whole feed

    def build(self, n: int) -> Feed:
        repeats = round(n * REPEAT_SHARE)
        stales = round(n * STALE_SHARE)
        rest = n - repeats - stales
        history_per_product = CURRENT_MIX[MISSING_REQUIRED] * len(QUARANTINE_KINDS) * HISTORY_SHARE
        product_count = max(1, min(rest, round(rest / (1 + SUPERSEDED_SHARE + history_per_product))))
        producer_count = max(1, min(product_count, round(n * PRODUCERS_PER_RECORD)))
        producers = self.producers(producer_count)
        # Every producer gets a product; the rest go to a few big producers more than to others.
        weights = [1 / (rank + 1) ** 0.3 for rank in range(producer_count)]
        owners = list(range(producer_count)) + self.rng.choices(
            range(producer_count), weights, k=product_count - producer_count
        )
        self.rng.shuffle(owners)
        kinds = allocate(product_count, CURRENT_MIX, self.rng)

        records: list[dict] = []
        tags: list[str] = []
        history = 0
        currents: list[tuple[int, str]] = []  # (index in records, kind)
        for number, (owner, kind) in enumerate(zip(owners, kinds, strict=True), start=1):
            producer = producers[owner]
            product = self.product(number, producer)
            record = self.current(kind, product, producer)
            if kind in BROKEN_KINDS:
                if kind in QUARANTINE_KINDS and self.chance(HISTORY_SHARE) and history < rest - product_count:
                    # The valid record, then a later revision of it that is broken (but still names it).
                    later = copy.deepcopy(record)
                    later["revision"] += 1
                    issued = parse_stamp(record["updated_at"])
                    later["updated_at"] = stamp(self.moment_between(issued + dt.timedelta(hours=1), self.cap))
                    broken = self.break_record(kind, later, keep_identity=True)
                    records.append(record)
                    tags.append(HISTORY)
                    history += 1
                    record = broken
                else:
                    record = self.break_record(kind, record)
            currents.append((len(records), kind))
            records.append(record)
            tags.append(kind)

        # Older certificates superseded by the current ones, as many as the budget leaves.
        budget = rest - len(records)
        candidates = [i for i, kind in currents if kind not in BROKEN_KINDS]
        self.rng.shuffle(candidates)
        for index in candidates:
            if budget <= 0:
                break
            old = self.predecessor(records[index])
            if old is not None:
                records.append(old)
                tags.append(SUPERSEDED)
                budget -= 1
        repeats += budget  # if too few products could have a predecessor

        sound = [i for i, tag in enumerate(tags) if tag not in BROKEN_KINDS and tag != HISTORY]
        # Stale: a lower revision arriving after the current one, e.g. a superseded certificate still "active".
        revised = [i for i in sound if records[i]["revision"] >= 2]
        for index in self.rng.sample(revised, min(stales, len(revised))):
            current = records[index]
            old = copy.deepcopy(current)
            old["revision"] = current["revision"] - 1
            if current["status"] in ("expired", "superseded", "revoked", "suspended"):
                old["status"] = "active"
            old["product"]["description"] = None
            later = parse_stamp(current["updated_at"]) + dt.timedelta(seconds=self.rng.randint(60, 30 * 86400))
            old["updated_at"] = stamp(max(min(later, self.cap), parse_stamp(current["updated_at"])))
            if old["updated_at"] == current["updated_at"]:
                old["updated_at"] = stamp(parse_stamp(current["updated_at"]) + dt.timedelta(seconds=1))
            records.append(old)
            tags.append(STALE)
        repeats += stales - min(stales, len(revised))
        # Repeats: the same revision again, identical or re-sent later.
        for index in self.rng.choices(sound, k=repeats) if sound else []:
            again = copy.deepcopy(records[index])
            if self.chance(0.5):
                later = parse_stamp(again["updated_at"]) + dt.timedelta(seconds=self.rng.randint(60, 10 * 86400))
                again["updated_at"] = stamp(max(min(later, self.cap), parse_stamp(again["updated_at"])))
            records.append(again)
            tags.append(REPEAT)

        order = list(range(len(records)))
        self.rng.shuffle(order)
        records = [records[i] for i in order]
        tags = [tags[i] for i in order]
        current_kinds = Counter(kind for _, kind in currents)
        summary = {
            "records": len(records),
            "today": self.today.isoformat(),
            "products": product_count,
            "producers": producer_count,
            "certificates": len(
                {r["certificate_id"] for r in records if isinstance(r, dict) and "certificate_id" in r}
            ),
            "current": dict(sorted(current_kinds.items())),
            "records_by_kind": dict(sorted(Counter(tags).items())),
            "products_with_superseded": tags.count(SUPERSEDED),
            "expected_listable_products": sum(current_kinds[k] for k in LISTABLE_KINDS),
            "expected_quarantined_records": sum(current_kinds[k] for k in QUARANTINE_KINDS),
        }
        return Feed(records=records, tags=tags, summary=summary)


def _unit_name(unit: str) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if unit.startswith(prefix):
            return unit.removeprefix(prefix)
    return unit


def _producer_core(name: str) -> str:
    name = name.split("(chủ", 1)[0].strip()
    for prefix in DEMO_PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :].strip()
    return name.strip()


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum()).lower() or "ocop"


def generate(n: int = 20000, *, seed: int = 1, today: dt.date | None = None, demo_file: Path = DEMO_FILE) -> Feed:
    """`n` registry records (CONTRACT.md) in the mix described above; the same for the same seed and today."""
    if n < 1:
        raise ValueError("n must be at least 1")
    return _Generator(random.Random(seed), today or local_today(), load_demo(demo_file)).build(n)


# The incremental step: 1 % of the certificates change.

CHANGE_KINDS = {"star_change": 35, "expiry": 15, "revocation": 12, "suspension": 5, "description_edit": 33}


def mutate(feed: Feed, *, fraction: float = 0.01, seed: int = 1, now: dt.datetime | None = None) -> dict[str, Any]:
    """Give `fraction` of the certificates a new revision with a later updated_at, in place.

    Most changes hit listed certificates (a star change, an early expiry, a revocation or
    suspension, a description edit); some low-star products are re-evaluated to 3★ and
    become listable. Returns what changed, with the expected effect on listings.
    """
    rng = random.Random(f"mutate-{seed}")
    now = now or dt.datetime.now(UTC)
    distinct = {r.get("certificate_id") for r in feed.records if isinstance(r, dict)}
    count = max(1, round(len(distinct) * fraction))
    valid = [i for i, tag in enumerate(feed.tags) if tag == VALID]
    low = [i for i, tag in enumerate(feed.tags) if tag == LOW_STARS]
    upgrades = rng.sample(low, min(len(low), round(count * 0.1)))
    changed = rng.sample(valid, min(len(valid), count - len(upgrades)))
    latest = max((parse_stamp(r.get("updated_at")) for r in feed.records if isinstance(r, dict)), key=_sort_stamp)
    start = max(now - dt.timedelta(seconds=count + 60), (latest or REGISTRY_START) + dt.timedelta(seconds=1))
    kinds: Counter[str] = Counter()
    delisting = 0
    for offset, index in enumerate(changed + upgrades):
        record = copy.deepcopy(feed.records[index])
        record["revision"] += 1
        record["updated_at"] = stamp(start + dt.timedelta(seconds=offset))
        if index in upgrades:
            kind = "upgrade_to_3_stars"
            _set_stars(record, 3, rng)
            feed.tags[index] = VALID
        else:
            kind = rng.choices(list(CHANGE_KINDS), list(CHANGE_KINDS.values()))[0]
            if kind == "star_change":
                stars = record["stars"]
                _set_stars(record, {3: 4, 4: rng.choice([3, 5]), 5: 4}[stars], rng)
            elif kind == "description_edit":
                name = record["product"]["name"]
                record["product"]["description"] = f"{name}: {rng.choice(SENTENCES)} (cập nhật {now.date():%d/%m/%Y})"
            else:
                record["status"] = {"expiry": "expired", "revocation": "revoked", "suspension": "suspended"}[kind]
                feed.tags[index] = {"expiry": EXPIRED, "revocation": INACTIVE, "suspension": INACTIVE}[kind]
                delisting += 1
        kinds[kind] += 1
        feed.records[index] = record
    return {
        "changed": len(changed) + len(upgrades),
        "certificates": len(distinct),
        "kinds": dict(sorted(kinds.items())),
        "expected_delisted": delisting,
        "expected_listed": len(upgrades),
        "updated_at_from": stamp(start),
    }


def _sort_stamp(value: dt.datetime | None) -> dt.datetime:
    return value or REGISTRY_START


def _set_stars(record: dict, stars: int, rng: random.Random) -> None:
    record["stars"] = stars
    if record.get("score") is not None:
        low, high = {1: (10, 29.9), 2: (30, 49.9), 3: (50, 69.9), 4: (70, 89.9), 5: (90, 100)}[stars]
        record["score"] = round(rng.uniform(low, high), 1)
    record["council_level"] = {3: "province", 4: "province", 5: "central"}.get(stars, record["council_level"])


def write_records(path: Path, records: list) -> None:
    """Write atomically, so the registry stand-in never reads half a file and sees the change."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default: today in Vietnam)")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "out" / "registry-bench.json")
    options = parser.parse_args(argv)
    feed = generate(options.records, seed=options.seed, today=options.today)
    write_records(options.out, feed.records)
    print(json.dumps(feed.summary, ensure_ascii=False, indent=2))
    print(f"wrote {options.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
