"""Dates, times and amounts one way in both languages (issue 16 §2): dd/mm/yyyy and the 24-hour clock on pages,
e-mails and exports; "390.000 ₫" in Vietnamese, "390,000 VND" in English. Before, the shop wrote 13-09-2024, the
English pages 09/13/2024 and "10:40 p.m.", and checkout "Ngày 04 tháng 12 năm 2026"."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from marketplace.core.dates import day_text, moment_text
from tests.web.test_storefront_pages import _client, _page, _text, storefront  # noqa: F401  (the fixture)

OTHER_FORMS = re.compile(
    r"\b\d{1,2}-\d{1,2}-\d{4}\b|\b[ap]\.m\.|\b(?:AM|PM)\b|Ngày \d+ tháng|\b(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December) \d"
)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_pages_write_dates_and_times_one_way(language):
    day, moment = datetime.date(2024, 9, 13), datetime.datetime(2026, 12, 4, 22, 40)
    template = Template(
        '{{ day }}|{{ day|date }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date:"DATE_FORMAT" }}|'
        '{{ moment|date:"SHORT_DATETIME_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}|{{ moment|time }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"day": day, "moment": moment}))

    assert rendered == "13/09/2024|13/09/2024|13/09/2024|13/09/2024|04/12/2026 22:40|04/12/2026 22:40|22:40"


def test_emails_exports_and_messages_use_the_same_helper():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 4, 22, 40))
    assert (day_text(datetime.date(2024, 9, 13)), moment_text(moment)) == ("13/09/2024", "04/12/2026 22:40")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_provenance_page_dates_the_certificate_the_same_way_in_both_languages(storefront, language):  # noqa: F811
    text = _text(_page(_client(language), f"/p/{storefront.coffee.slug}/"))

    until = storefront.coffee_certificate.valid_until
    assert until.strftime("%d/%m/%Y") in text
    assert not OTHER_FORMS.search(text), OTHER_FORMS.search(text)
    assert ("150,000 VND" if language == "en" else "150.000 ₫") in text
