"""Export and erasure of one person's data across every app, and retention purges.

Both walk the register (`register.py`), so an app that declares its personal data is covered
without code here. Erasure is one transaction: either every app's rows are handled, or none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from buicasus.core.json_values import json_value
from buicasus.privacy.register import PersonalData, register

log = logging.getLogger("buicasus.privacy")


@dataclass(frozen=True)
class Person:
    """Whom to look for: an account, an e-mail address, or both (the account's own address)."""

    user: AbstractUser | None = None
    email: str = ""

    @property
    def emails(self) -> set[str]:
        found = {self.email.strip().lower()} if self.email.strip() else set()
        if self.user is not None and self.user.email:
            found.add(self.user.email.strip().lower())
        return found


@dataclass
class ErasureReport:
    deleted: dict[str, int] = field(default_factory=dict)
    scrubbed: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)


def rows_of(entry: PersonalData, person: Person) -> QuerySet[Any]:
    """The rows of one register entry that are about this person (none if it cannot tell)."""
    manager = entry.model_class._default_manager
    condition = Q(pk__in=[])
    if entry.person and person.user is not None:
        key = "pk" if entry.person == "id" else entry.person
        condition |= Q(**{key: person.user.pk})
    if entry.email:
        for address in person.emails:
            condition |= Q(**{f"{entry.email}__iexact": address})
    if entry.username and person.user is not None:
        condition |= Q(**{entry.username: person.user.get_username()})
    return manager.filter(condition)


def export_person(person: Person) -> dict[str, Any]:
    """Everything the register says the platform holds about the person, as plain JSON data."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in register():
        values = list(rows_of(entry, person).values("pk", *entry.fields))
        if values:
            found.setdefault(entry.model, []).extend(
                {k: json_value(v) for k, v in row.items()} for row in values
            )
    return {
        "generated_at": timezone.now().isoformat(),
        "person": {
            "username": person.user.get_username() if person.user else None,
            "email": sorted(person.emails),
        },
        "register": [
            {
                "model": e.model,
                "fields": list(e.fields),
                "purpose": str(e.purpose),
                "legal_basis": str(e.legal_basis),
                "retention": str(e.retention),
            }
            for e in register()
        ],
        "data": found,
    }


@transaction.atomic
def erase_person(person: Person) -> ErasureReport:
    """Deletes what exists only for the person, blanks what feeds aggregates, and anonymises
    the account last (the other apps' rows are found through it)."""
    report = ErasureReport()
    for entry in register():
        if entry.model == settings.AUTH_USER_MODEL:
            continue  # the account itself is anonymised below, once the rest is done
        rows = rows_of(entry, person)
        if entry.on_erase == "delete":
            count = rows.count()
            rows.delete()
            _add(report.deleted, entry.model, count)
        elif entry.on_erase == "scrub":
            _add(report.scrubbed, entry.model, _scrub(rows, entry))
        else:
            _add(report.kept, entry.model, rows.count())
    if person.user is not None:
        _anonymise_account(person.user)
        _add(report.scrubbed, settings.AUTH_USER_MODEL, 1)
    log.warning(
        "personal data erased",
        extra={"account_id": getattr(person.user, "pk", None), "deleted": report.deleted},
    )
    return report


def _add(counts: dict[str, int], model: str, n: int) -> None:
    if n:
        counts[model] = counts.get(model, 0) + n


def _scrub(rows: QuerySet[Any], entry: PersonalData) -> int:
    blanks: dict[str, Any] = {}
    for name in entry.fields:
        model_field = entry.model_class._meta.get_field(name)
        if model_field.null:
            blanks[name] = None
        elif isinstance(model_field, models.CharField | models.TextField):
            blanks[name] = ""
    return rows.update(**blanks) if blanks else 0


def _anonymise_account(user: AbstractUser) -> None:
    """The account stays (records point to it) but no longer says who it was."""
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()


def find_person(username: str = "", email: str = "") -> Person:
    """The person behind a username and/or an address; LookupError when neither is known."""
    user = None
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise LookupError(username)
    return Person(user=user, email=email)


def purge_expired(now: Any = None) -> dict[str, int]:
    """Removes rows older than their retention setting (days); 0 days keeps them forever."""
    now = now or timezone.now()
    removed: dict[str, int] = {}
    for entry in register():
        if not entry.expire_after:
            continue
        days = int(getattr(settings, entry.expire_after))
        if days <= 0:
            continue
        rows = entry.model_class._default_manager.filter(
            **{f"{entry.expire_field}__lt": now - timedelta(days=days)}
        )
        _add(removed, entry.model, rows.delete()[0])
    return removed
