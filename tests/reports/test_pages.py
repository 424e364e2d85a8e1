"""Report pages: the choice form, the HTML report in the reader's language, the PDF download."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse


def test_index_offers_the_choices(client: Client, db: None) -> None:
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("scope", "lang", "format"):
        assert f'name="{name}"' in html
    assert 'value="ALL"' in html and 'value="LV"' in html
    assert 'value="lv"' in html


def test_index_redirects_to_the_chosen_report(client: Client, db: None) -> None:
    url = reverse("reports:index")
    page = client.get(url, {"scope": "LV", "lang": "sv", "format": "html"})
    assert page.status_code == 302
    assert page["Location"] == reverse("reports:mapping", args=["LV"]) + "?lang=sv"
    pdf = client.get(url, {"scope": "ALL", "lang": "es", "format": "pdf"})
    assert pdf["Location"] == reverse("reports:mapping-transnational-pdf") + "?lang=es"


def test_index_names_the_bad_field(client: Client, db: None) -> None:
    response = client.get(reverse("reports:index"), {"scope": "LV", "lang": "de", "format": "pdf"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_lang-error"' in html


def _lang_attributes(html: str) -> list[str]:
    return re.findall(r'<(?:html|article)[^>]* lang="([a-z]+)"', html)


def test_country_page_in_two_languages(client: Client, seeded: dict[str, Any]) -> None:
    url = reverse("reports:mapping", args=["LV"])
    english = client.get(url, {"lang": "en"}).content.decode()
    latvian = client.get(url, {"lang": "lv"}).content.decode()
    assert _lang_attributes(english) == ["en", "en"]
    assert _lang_attributes(latvian) == ["lv", "lv"]  # translation.override reaches base.html
    assert "Mapping report: Latvia" in english
    assert "Latvija" in latvian  # the country's name in the reader's language
    assert "Labākā prakse" in latvian and "Best practice" in english  # vocabulary labels
    for html in (english, latvian):
        for section in ("method", "numbers", "network", "maturity", "highlights", "sources"):
            assert f'id="{section}"' in html
        assert html.count('src="data:image/svg+xml;base64,') >= 5  # charts as images
        assert "Reptest best practice" in html
        assert "Reptest hidden initiative" not in html
    assert 'hx-get="/reports/mapping/LV.pdf?lang=lv"' in latvian


def test_unpublished_records_for_the_country_staff_only(
    client_for: Any, seeded: dict[str, Any]
) -> None:
    url = reverse("reports:mapping", args=["LV"])
    inside = client_for("viewer", "LV").get(url, {"lang": "en"}).content.decode()
    outside = client_for("editor", "FR").get(url, {"lang": "en"}).content.decode()
    assert "Reptest hidden initiative" in inside
    assert "Reptest hidden initiative" not in outside
    assert "Includes unpublished records" in inside
    assert "Counts published records only" in outside


def test_unknown_country_or_language_is_not_found(client: Client, db: None) -> None:
    assert client.get(reverse("reports:mapping", args=["XX"])).status_code == 404
    assert client.get(reverse("reports:mapping", args=["LV"]), {"lang": "de"}).status_code == 404
    bad = client.get(reverse("reports:mapping-transnational"), {"countries": "ES,QQ"})
    assert bad.status_code == 404


def test_transnational_page(client: Client, seeded: dict[str, Any]) -> None:
    response = client.get(reverse("reports:mapping-transnational"), {"lang": "fr"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lettonie" in html and "Suède" in html and "Espagne" in html
    some = client.get(
        reverse("reports:mapping-transnational"), {"countries": "LV,SE", "lang": "en"}
    )
    assert "Latvia, Sweden" in some.content.decode()


def test_pdf_download(client: Client, seeded: dict[str, Any]) -> None:
    asked = client.get(reverse("reports:mapping-pdf", args=["LV"]), {"lang": "fr"})
    assert asked.status_code == 302  # to the build's page (built at once in these tests)
    page = client.get(asked["Location"])
    assert "Mapping report LV (fr, PDF)" in page.content.decode()
    download = re.search(r'href="(/reports/builds/[^"]+/download)"', page.content.decode())
    assert download is not None
    response = client.get(download.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="buicasus-mapping-LV-fr.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    both = client.get(reverse("reports:mapping-transnational-pdf"), {"countries": "LV,SE"})
    built = client.get(both["Location"]).content.decode()
    href = re.search(r'href="(/reports/builds/[^"]+/download)"', built)
    assert href is not None
    file = client.get(href.group(1))
    assert 'filename="buicasus-mapping-transnational-LV-SE-en.pdf"' in file["Content-Disposition"]
    assert b"".join(file.streaming_content)  # read whole: the client then closes the file
