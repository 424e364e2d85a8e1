"""Every page renders for the roles allowed to see it, in all five languages, and refuses the
others; no page loads anything from another host."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.registry.models import Funding, InitiativeRole, OrganisationTie
from tests.registry.factories import initiative, organisation, term

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es", "sv", "lv"]
ROLES = ["anonymous", "viewer", "contributor", "editor", "coordinator", "admin"]
OWN_NAMES = {"en": "English", "fr": "Français", "es": "Español", "sv": "Svenska", "lv": "Latviešu"}


@pytest.fixture
def records() -> dict[str, Any]:
    """A published Latvian organisation and initiative with relationships and translations."""
    org = organisation(
        "LV",
        name="Rīgas sociālais uzņēmums",
        description="Sociālais uzņēmums Rīgā.",
        description_language="lv",
        translations={"en": {"description": "A social enterprise in Riga."}},
        website="https://example.org/riga",
    )
    other = organisation("LV", name="Otrā organizācija")
    OrganisationTie.objects.create(source=org, target=other, tie_type=term("tie-type", "funds"))
    ini = initiative(
        "LV",
        title="Darba integrācija",
        description="Apraksts latviski.",
        description_language="lv",
        translations={"fr": {"title": "Intégration par le travail"}},
        stage=term("si-stage", "testing"),
    )
    ini.sdgs.set([term("sdg", code) for code in _codes("sdg")[:2]])
    Funding.objects.create(initiative=ini, source=term("funding-source", "esf"), amount=1000)
    InitiativeRole.objects.create(
        initiative=ini, organisation=org, role=term("initiative-role", "lead")
    )
    return {"org": org, "initiative": ini}


def _codes(key: str) -> list[str]:
    from buicasus.registry.models import Term

    return list(Term.objects.filter(vocabulary__key=key).values_list("code", flat=True))


def _client(client_for: Callable[..., Client], role: str, language: str = "en") -> Client:
    if role == "anonymous":
        client = Client()
    else:
        client = client_for(role, None if role == "admin" else "LV")
    client.cookies["django_language"] = language
    return client


def _pages(records: dict[str, Any]) -> dict[str, str]:
    org, ini = records["org"].pk, records["initiative"].pk
    return {
        "home": reverse("registry:home"),
        "organisation-list": reverse("registry:organisation-list"),
        "organisation-detail": reverse("registry:organisation-detail", args=[org]),
        "organisation-create": reverse("registry:organisation-create"),
        "organisation-update": reverse("registry:organisation-update", args=[org]),
        "organisation-delete": reverse("registry:organisation-delete", args=[org]),
        "organisation-history": reverse("registry:organisation-history", args=[org]),
        "initiative-list": reverse("registry:initiative-list"),
        "initiative-detail": reverse("registry:initiative-detail", args=[ini]),
        "initiative-create": reverse("registry:initiative-create"),
        "initiative-update": reverse("registry:initiative-update", args=[ini]),
        "initiative-delete": reverse("registry:initiative-delete", args=[ini]),
        "initiative-history": reverse("registry:initiative-history", args=[ini]),
        "proposals": reverse("registry:proposals"),
        "tokens": reverse("account-tokens"),
        "users": reverse("account-users"),
        "login": reverse("login"),
    }


PUBLIC = {
    "home",
    "organisation-list",
    "organisation-detail",
    "initiative-list",
    "initiative-detail",
    "login",
}
#: the weakest role that opens each non-public page
NEEDS = {
    "organisation-create": "contributor",
    "initiative-create": "contributor",
    "proposals": "contributor",
    "organisation-update": "editor",
    "initiative-update": "editor",
    "organisation-delete": "editor",
    "initiative-delete": "editor",
    "organisation-history": "viewer",
    "initiative-history": "viewer",
    "tokens": "viewer",
    "users": "coordinator",
}


def _expected(page: str, role: str) -> int:
    if page in PUBLIC:
        return 200
    if role == "anonymous":
        return 302
    return 200 if ROLES.index(role) >= ROLES.index(NEEDS[page]) else 403


_LINK = re.compile(r"""\b(?:src|href|action|hx-get|hx-post)\s*=\s*["']([^"']*)["']""", re.I)


def external_links(html: str, allowed: Collection[str] = ()) -> list[str]:
    """Addresses in the page that leave this site, other than `allowed` record content."""
    return [
        url
        for url in _LINK.findall(html)
        if re.match(r"^(https?:)?//", url.strip(), re.I) and url not in allowed
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_by_role_and_language(
    client_for: Callable[..., Client], records: dict[str, Any], role: str, language: str
) -> None:
    client = _client(client_for, role, language)
    for page, url in _pages(records).items():
        response = client.get(url)
        expected = _expected(page, role)
        assert response.status_code == expected, (page, role, response.status_code)
        if expected == 302:
            assert response["Location"].startswith(reverse("login")), page
            continue
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, page
        assert external_links(html, {"https://example.org/riga"}) == [], page
        if expected == 200:
            for code, name in OWN_NAMES.items():
                assert f'<option value="{code}" lang="{code}"' in html
                assert name in html, (page, name)


def test_language_switch_through_set_language(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/organisations/"})
    assert response.status_code == 302
    html = client.get("/organisations/").content.decode()
    assert '<html lang="sv">' in html
    assert '<option value="sv" lang="sv" selected>' in html


def test_nav_marks_the_current_page(client: Client) -> None:
    html = client.get(reverse("registry:initiative-list")).content.decode()
    assert 'href="/initiatives/" aria-current="page"' in html
    assert 'href="/organisations/" aria-current' not in html


def test_base_layout_landmarks_and_static_files(client: Client) -> None:
    html = client.get("/").content.decode()
    for needle in (
        'class="skip-link" href="#main"',
        '<main id="main"',
        "<header",
        "<footer",
        "/static/vendor/pico/pico.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/buicasus/buicasus.css",
        "/static/buicasus/buicasus.js",
        'action="/i18n/setlang/"',
        'href="/api/v1/docs"',
    ):
        assert needle in html, needle


def test_nav_by_role(client_for: Callable[..., Client]) -> None:
    anonymous = Client().get("/").content.decode()
    assert 'action="/accounts/logout/"' not in anonymous and "/accounts/login/" in anonymous
    assert "/proposals/" not in anonymous and "/admin/" not in anonymous
    contributor = client_for("contributor", "LV").get("/").content.decode()
    assert "My proposals" in contributor and 'action="/accounts/logout/"' in contributor
    assert "/accounts/users/" not in contributor
    editor = client_for("editor", "LV").get("/").content.decode()
    assert 'href="/proposals/"' in editor and ">Proposals<" in editor
    coordinator = client_for("coordinator", "LV").get("/").content.decode()
    assert "/accounts/users/" in coordinator


def test_country_switcher_sets_and_clears_the_default_filter(
    client: Client, records: dict[str, Any]
) -> None:
    organisation("FR", name="Une organisation française")
    response = client.post(
        reverse("registry:set-country"), {"country": "FR", "next": "/organisations/?page=2"}
    )
    assert response.status_code == 302 and response["Location"] == "/organisations/"
    assert client.session["country"] == "FR"
    html = client.get("/organisations/").content.decode()
    assert "Une organisation française" in html and "Rīgas sociālais" not in html
    assert '<option value="FR" selected>' in html
    # an explicit filter wins over the session's country
    html = client.get("/organisations/?country=").content.decode()
    assert "Rīgas sociālais" in html
    client.post(reverse("registry:set-country"), {"country": "", "next": "/"})
    assert "country" not in client.session
    html = client.get("/organisations/").content.decode()
    assert "Une organisation française" in html and "Rīgas sociālais" in html


def test_country_switcher_ignores_foreign_next(client: Client) -> None:
    response = client.post(
        reverse("registry:set-country"), {"country": "LV", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_dashboard_counts_link_into_filtered_lists(client: Client, records: dict[str, Any]) -> None:
    html = client.get("/").content.decode()
    assert 'href="/organisations/?country=LV"' in html
    assert 'href="/initiatives/?country=LV"' in html
    assert 'href="/organisations/?actor_type=social-enterprise&amp;country="' in html


def test_detail_shows_the_readers_translation_with_the_original(
    client: Client, records: dict[str, Any]
) -> None:
    url = records["org"].get_absolute_url()
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "A social enterprise in Riga." in html
    assert "Translated from Latvian; original:" in html
    assert "Sociālais uzņēmums Rīgā." in html
    client.cookies["django_language"] = "lv"
    html = client.get(url).content.decode()
    assert "Sociālais uzņēmums Rīgā." in html and "A social enterprise in Riga." not in html
    client.cookies["django_language"] = "fr"
    html = client.get(records["initiative"].get_absolute_url()).content.decode()
    assert "Intégration par le travail" in html


def test_initiative_detail_shows_classification_and_relationships(
    client: Client, records: dict[str, Any]
) -> None:
    html = client.get(records["initiative"].get_absolute_url()).content.decode()
    for needle in ("Rīgas sociālais uzņēmums", "Lead organisation", "1,000.00 EUR", "Testing"):
        assert needle in html, needle
    assert "Provenance" in html


def test_organisation_detail_shows_ties_roles_and_provenance(
    client: Client, records: dict[str, Any]
) -> None:
    html = client.get(records["org"].get_absolute_url()).content.decode()
    for needle in ("Otrā organizācija", "Darba integrācija", "Provenance", "Last changed"):
        assert needle in html, needle
    # anonymous readers get no edit links
    assert "/edit/" not in html and "/delete/" not in html


def test_missing_and_hidden_records_are_404_with_the_site_layout(client: Client) -> None:
    hidden = organisation("LV", name="Hidden", published=False)
    for url in ("/organisations/999999/", hidden.get_absolute_url(), "/no-such-page/"):
        response = client.get(url)
        assert response.status_code == 404
        assert '<main id="main"' in response.content.decode()


def test_forbidden_page_uses_the_403_template(client_for: Callable[..., Client]) -> None:
    response = client_for("viewer", "LV").get(reverse("registry:organisation-create"))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "vendor/pico/pico.min.css",
        "vendor/htmx/htmx.min.js",
        # src/buicasus/static/ must be listed in settings.STATICFILES_DIRS for these two
        "buicasus/buicasus.css",
        "buicasus/buicasus.js",
    ],
)
def test_static_files_are_served_from_this_site(path: str) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find(path), path


class _Structure(HTMLParser):
    """Collects ids and checks that non-void elements open and close in order."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.problems: list[str] = []
        self.fields: list[str] = []
        self.label_for: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag == "label" and values.get("for"):
            self.label_for.add(values["for"] or "")
        if tag in {"input", "select", "textarea"} and values.get("type") not in {
            "hidden",
            "submit",
        }:
            self.fields.append(values.get("id") or f"<{tag} name={values.get('name')}>")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()


def test_pages_are_well_formed_with_labelled_fields_and_unique_ids(
    client_for: Callable[..., Client], records: dict[str, Any]
) -> None:
    client = _client(client_for, "admin")
    initiative("SE", title="Awaiting review", review_status="proposed", published=False)
    client.post(reverse("account-tokens"), {"name": "script"})
    for page, url in _pages(records).items():
        parser = _Structure()
        parser.feed(client.get(url).content.decode())
        parser.close()
        assert parser.problems == [] and parser.stack == [], (page, parser.problems[:3])
        duplicates = {i for i in parser.ids if parser.ids.count(i) > 1}
        assert not duplicates, (page, duplicates)
        unlabelled = [f for f in parser.fields if f not in parser.label_for]
        assert unlabelled == [], (page, unlabelled)
        if page in {"proposals", "tokens"}:
            assert parser.fields, page
