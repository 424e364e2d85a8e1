"""Dates on pages follow one format per language, on the 24-hour clock, day before month:
never "12/08/2026 12:17 a.m.." (US order, and a doubled full stop)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buicasus.network.models import NetworkSnapshot

# 00:17 in Brussels on 8 December 2026.
WHEN = dt.datetime(2026, 12, 7, 23, 17, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "8 December 2026, 00:17"),
        ("fr", "8 décembre 2026, 00:17"),
        ("es", "8 de diciembre de 2026, 00:17"),
        ("sv", "8 december 2026, 00:17"),
        ("lv", "2026. gada 8. decembris, 00:17"),
    ],
)
def test_network_page_dates_per_language(eco: dict[str, Any], language: str, expected: str) -> None:
    client = Client(headers={"accept-language": language})
    client.get(reverse("network:index"), {"country": "LV"})  # computes the snapshot
    for snapshot in NetworkSnapshot.objects.all():
        snapshot.summary = {**snapshot.summary, "computed_at": WHEN.isoformat()}
        snapshot.save(update_fields=["summary"])
    html = client.get(reverse("network:index"), {"country": "LV"}).content.decode()
    assert expected in html
    assert "a.m." not in html and "p.m." not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Searched on 08/12/2026 00:17."),
        ("fr", "08/12/2026 00:17"),
        ("es", "08/12/2026 00:17"),
        ("sv", "2026-12-08 00:17"),
        ("lv", "08.12.2026 00:17"),
    ],
)
def test_short_date_time_ends_a_sentence_with_one_full_stop(language: str, expected: str) -> None:
    template = Template(
        '{% load i18n %}{% blocktranslate with when=at|date:"SHORT_DATETIME_FORMAT" %}'
        "Searched on {{ when }}.{% endblocktranslate %}"
    )
    with translation.override(language):
        text = template.render(Context({"at": WHEN}))
    assert expected in text
    assert ".." not in text


@pytest.mark.parametrize("language", ["en", "fr", "es", "sv", "lv"])
def test_no_format_ends_in_a_full_stop_or_uses_the_12_hour_clock(language: str) -> None:
    from django.utils.formats import get_format

    names = ("DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT")
    with translation.override(language):
        formats = [get_format(n) for n in (*names, "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT")]
    assert not [f for f in formats if f.endswith(".")]
    # Unescaped a, A, P, g, h are Django's 12-hour clock and its a.m./p.m.
    assert not [f for f in formats if any(c in re.sub(r"\\.", "", f) for c in "aAPgh")]
