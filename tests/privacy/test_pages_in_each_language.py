"""What readers of French and Latvian see on the matching form, the personal-data register and
the admin: their language, and names rather than code (`auth.User`, "Django administration")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def _page(path: str, language: str, client: Client | None = None) -> str:
    client = client or Client()
    response = client.get(path, headers={"accept-language": language}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "help_text"),
    [
        ("fr", "L’une des cinq langues. 2000 caractères au maximum."),
        ("lv", "Jebkurā no piecām valodām. Ne vairāk kā 2000 rakstzīmes."),
    ],
)
def test_matching_help_text_is_in_the_readers_language(
    db: None, language: str, help_text: str
) -> None:
    from buicasus.matching.models import NEED_TEXT_MAX

    html = _page("/matching/", language)
    assert help_text.replace("2000", str(NEED_TEXT_MAX)) in html
    assert "Any of the five languages" not in html


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("fr", ["Utilisateurs", "Entrées du journal d’audit"]),
        ("lv", ["Lietotāji", "Audita ieraksti"]),
    ],
)
def test_personal_data_register_names_models_in_the_readers_language(
    db: None, language: str, names: list[str]
) -> None:
    html = _page("/privacy/", language).replace("&#x27;", "’")
    for name in names:
        assert f'<th scope="row">{name}</th>' in html
    assert "auth.User" not in html and "registry.AuditEntry" not in html


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "BuiCaSuS\u00a0: Site d’administration"), ("lv", "BuiCaSuS: Vietnes pārvaldīšana")],
)
def test_admin_is_titled_in_the_readers_language(make_user: Any, language: str, title: str) -> None:
    login = _page("/admin/login/", language)
    assert title in login and "Django" not in login
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    index = _page("/admin/", language, client)
    assert title in index and "Django" not in index
