"""The register covers every place personal data lives; export and erasure follow it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from buicasus.accounts.models import ApiToken, Membership
from buicasus.privacy import services
from buicasus.privacy.register import register
from buicasus.registry.models import AuditEntry
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db


def _personal_fields() -> set[tuple[str, str]]:
    """(model, field) pairs that point to an account or hold an e-mail address."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = set()
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "sessions", "contenttypes", "auth"}:
            continue
        for field in model._meta.get_fields():
            points_to_user = (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is user_model
            )
            if points_to_user or isinstance(field, models.EmailField):
                found.add((model._meta.label, field.name))
    return found


def test_every_personal_field_is_in_the_register() -> None:
    declared = set()
    for entry in register():
        for name in (entry.person, entry.email, entry.username, *entry.fields):
            if name:
                declared.add((entry.model, name))
    missing = _personal_fields() - declared
    assert not missing, f"declare these in <app>/personal_data.py: {sorted(missing)}"


def test_every_entry_names_real_fields_and_a_purpose() -> None:
    for entry in register():
        model = entry.model_class
        for name in (*entry.fields, entry.email, entry.username, entry.expire_field):
            if name:
                model._meta.get_field(name)
        assert str(entry.purpose) and str(entry.legal_basis) and str(entry.retention)
        assert entry.person or entry.email or entry.username, entry.model


def _person_with_data(make_user: Any) -> Any:
    user = make_user("editor", "LV", username="janis", email="janis@example.org")
    user.first_name = "Jānis"
    user.save()
    ApiToken.issue(user, "laptop")
    from buicasus.accounts.current_user import acting_as

    with acting_as(user):
        organisation("LV", name="Rīgas darbnīca")
    AccessLog.objects.create(username="janis", ip_address="192.0.2.7", user_agent="x")
    return user


def test_export_gathers_the_persons_data_from_every_app(make_user: Any) -> None:
    user = _person_with_data(make_user)
    make_user("editor", "LV", username="ilze")
    data = services.export_person(services.Person(user=user))
    assert data["data"]["auth.User"][0]["first_name"] == "Jānis"
    assert data["data"]["accounts.ApiToken"][0]["name"] == "laptop"
    assert data["data"]["axes.AccessLog"][0]["ip_address"] == "192.0.2.7"
    assert len(data["data"]["accounts.Membership"]) == 1
    assert "registry.AuditEntry" in data["data"]
    assert "ilze" not in json.dumps(data)
    assert {e["model"] for e in data["register"]} >= {"auth.User", "registry.AuditEntry"}


def test_erasure_removes_identity_and_keeps_anonymous_records(make_user: Any) -> None:
    user = _person_with_data(make_user)
    audit_before = AuditEntry.objects.filter(user=user).count()
    report = services.erase_person(services.Person(user=user))
    user.refresh_from_db()
    assert user.username == f"erased-{user.pk}"
    assert (user.first_name, user.email, user.is_active) == ("", "", False)
    assert not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not AccessLog.objects.filter(username="janis").exists()
    # The audit trail and the records stay, pointing to an account that names no one.
    assert AuditEntry.objects.filter(user=user).count() == audit_before > 0
    assert report.deleted["accounts.ApiToken"] == 1
    assert report.kept["registry.AuditEntry"] == audit_before
    exported = json.dumps(services.export_person(services.Person(user=user)))
    assert "janis" not in exported.lower() and "Jānis" not in exported


def test_erasure_is_all_or_nothing(make_user: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    user = _person_with_data(make_user)

    def broken(account: Any) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(services, "_anonymise_account", broken)
    with pytest.raises(RuntimeError):
        services.erase_person(services.Person(user=user))
    assert ApiToken.objects.filter(user=user).exists()
    assert get_user_model().objects.get(pk=user.pk).username == "janis"


def test_purge_removes_login_records_past_retention(settings: Any) -> None:
    settings.RETENTION_LOGIN_DAYS = 30
    old = AccessLog.objects.create(username="old", ip_address="192.0.2.1", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=31))
    AccessLog.objects.create(username="new", ip_address="192.0.2.2", user_agent="x")
    assert services.purge_expired() == {"axes.AccessLog": 1}
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["new"]
    settings.RETENTION_LOGIN_DAYS = 0
    assert services.purge_expired() == {}


def test_commands_export_and_erase(make_user: Any, tmp_path: Any, capsys: Any) -> None:
    user = _person_with_data(make_user)
    out = tmp_path / "janis.json"
    call_command("privacy", "export", "--user", "janis", "--out", str(out))
    assert json.loads(out.read_text())["person"]["username"] == "janis"
    call_command("privacy", "erase", "--user", "janis", "--yes")
    assert '"accounts.ApiToken": 1' in capsys.readouterr().out
    user.refresh_from_db()
    assert user.username.startswith("erased-")
    call_command("privacy", "register")
    assert "auth.User" in capsys.readouterr().out


def test_register_page_is_public_and_my_data_needs_login(client: Client, make_user: Any) -> None:
    page = client.get("/privacy/")
    assert page.status_code == 200
    assert b'<th scope="row">Audit entries</th>' in page.content
    assert client.get("/privacy/my-data.json").status_code == 302
    _person_with_data(make_user)
    client.force_login(get_user_model().objects.get(username="janis"))
    download = client.get("/privacy/my-data.json")
    assert download.status_code == 200
    assert download.json()["person"]["username"] == "janis"
