"""Records every create, update and delete of registry data in `AuditEntry`.

Signals rather than service calls, so that pages, API, admin, CLI and imports are all covered.
The acting user comes from `accounts.current_user`, set by middleware, API auth or `acting_as`.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from buicasus.accounts.current_user import get_current_user
from buicasus.registry.models import (
    AuditAction,
    AuditEntry,
    AuditLink,
    Country,
    Funding,
    Initiative,
    InitiativeRole,
    NutsRegion,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
    Vocabulary,
)

AUDITED: tuple[type[models.Model], ...] = (
    Country,
    NutsRegion,
    Vocabulary,
    Term,
    Organisation,
    OrganisationIdentifier,
    Initiative,
    Funding,
    InitiativeRole,
    OrganisationTie,
)
# Dependent rows → the foreign keys naming the records whose history they belong to.
_OWNERS = {
    "organisationidentifier": ("organisation",),
    "funding": ("initiative",),
    "initiativerole": ("initiative", "organisation"),
    "organisationtie": ("source", "target"),
}
_IGNORED = {"created_at", "updated_at", "created_by", "updated_by"}
_OLD = "_audit_old_values"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _fields(instance: models.Model) -> list[models.Field]:
    return [
        f for f in instance._meta.concrete_fields if f.name not in _IGNORED and not f.primary_key
    ]


def _raw_values(instance: models.Model) -> dict[str, Any]:
    return {f.name: getattr(instance, f.attname) for f in _fields(instance)}


def _display(instance: models.Model, field: models.Field, raw: Any) -> Any:
    if raw is None:
        return None
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=raw).first()
        return str(related) if related is not None else f"#{raw}"
    return _plain(raw)


def _record(instance: models.Model, action: str, changes: dict[str, Any]) -> None:
    model_name = instance._meta.model_name or ""
    entry = AuditEntry.objects.create(
        model=model_name,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
        user=get_current_user(),
    )
    links = []
    for name in _OWNERS.get(model_name, ()):
        field = instance._meta.get_field(name)
        owner_id = getattr(instance, field.attname)
        if owner_id is not None and field.related_model is not None:
            owner = field.related_model._meta.model_name or ""
            links.append(AuditLink(entry=entry, model=owner, object_id=str(owner_id)))
    if links:
        AuditLink.objects.bulk_create(links)


def _before_save(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    user = get_current_user()
    if user is not None and hasattr(instance, "updated_by_id"):
        instance.updated_by = user  # type: ignore[attr-defined]
        if instance._state.adding and getattr(instance, "created_by_id", None) is None:
            instance.created_by = user  # type: ignore[attr-defined]
    if kw.get("raw") or instance._state.adding or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    setattr(instance, _OLD, _raw_values(old) if old is not None else None)


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kw: Any
) -> None:
    if kw.get("raw"):
        return
    new = _raw_values(instance)
    by_name = {f.name: f for f in _fields(instance)}
    if created:
        changes = {
            k: [None, _display(instance, by_name[k], v)]
            for k, v in new.items()
            if v not in (None, "", [], {})
        }
        _record(instance, AuditAction.CREATE, changes)
        return
    old = getattr(instance, _OLD, None) or {}
    changes = {
        k: [_display(instance, by_name[k], old.get(k)), _display(instance, by_name[k], v)]
        for k, v in new.items()
        if old.get(k) != v
    }
    if changes:
        _record(instance, AuditAction.UPDATE, changes)


def _after_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    by_name = {f.name: f for f in _fields(instance)}
    changes = {
        k: [_display(instance, by_name[k], v), None]
        for k, v in _raw_values(instance).items()
        if v not in (None, "", [], {})
    }
    _record(instance, AuditAction.DELETE, changes)


def _m2m(
    sender: Any, instance: models.Model, action: str, pk_set: Any, model: Any, **kw: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or not isinstance(instance, AUDITED):
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    labels = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set or []))
    if action == "post_add":
        change = [None, labels]
    elif action == "post_remove":
        change = [labels, None]
    else:
        change = ["*", None]
    if labels or action == "post_clear":
        _record(instance, AuditAction.UPDATE, {field.name: change})


def connect() -> None:
    for model in AUDITED:
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-del")
    m2m_changed.connect(_m2m, dispatch_uid="audit-m2m")
