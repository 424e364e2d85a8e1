"""Records every create, update and delete of pilot data in the registry's audit trail.

The registry's `AuditEntry` is generic (record type, id, field changes, user, time) and its
`AuditLink` ties an entry about a dependent row to the record whose history it belongs to, so
pilots use both rather than a log of their own: `registry.services.history(pilot)` then returns
the pilot's entries and those of its participants, sessions, milestones, adaptations, risks and
evaluation. Signals (not service calls) so that admin edits are recorded too; the acting user
comes from `accounts.current_user`, as in the registry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from buicasus.accounts.current_user import get_current_user
from buicasus.pilots.models import (
    Pilot,
    PilotAdaptation,
    PilotEvaluation,
    PilotMilestone,
    PilotParticipant,
    PilotRisk,
    PilotSession,
)
from buicasus.registry.models import AuditAction, AuditEntry, AuditLink

AUDITED: tuple[type[models.Model], ...] = (
    Pilot,
    PilotParticipant,
    PilotSession,
    PilotMilestone,
    PilotAdaptation,
    PilotRisk,
    PilotEvaluation,
)
_IGNORED = {"created_at", "updated_at", "created_by", "updated_by"}
_OLD = "_pilot_audit_old"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _fields(instance: models.Model) -> list[models.Field]:
    return [
        f for f in instance._meta.concrete_fields if f.name not in _IGNORED and not f.primary_key
    ]


def _values(instance: models.Model) -> dict[str, Any]:
    return {f.name: getattr(instance, f.attname) for f in _fields(instance)}


def _display(field: models.Field, raw: Any) -> Any:
    if raw is None:
        return None
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=raw).first()
        return str(related) if related is not None else f"#{raw}"
    return _plain(raw)


def _record(instance: models.Model, action: str, changes: dict[str, Any]) -> None:
    entry = AuditEntry.objects.create(
        model=instance._meta.model_name or "",
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
        user=get_current_user(),
    )
    pilot_id = getattr(instance, "pilot_id", None)
    if pilot_id is not None:
        AuditLink.objects.create(entry=entry, model="pilot", object_id=str(pilot_id))


def _before_save(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    user = get_current_user()
    if user is not None and hasattr(instance, "created_by_id"):
        if instance._state.adding and getattr(instance, "created_by_id", None) is None:
            instance.created_by = user  # type: ignore[attr-defined]
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = user  # type: ignore[attr-defined]
    if kw.get("raw") or instance._state.adding or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    setattr(instance, _OLD, _values(old) if old is not None else None)


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kw: Any
) -> None:
    if kw.get("raw"):
        return
    by_name = {f.name: f for f in _fields(instance)}
    new = _values(instance)
    if created:
        changes = {
            k: [None, _display(by_name[k], v)] for k, v in new.items() if v not in (None, "", {})
        }
        _record(instance, AuditAction.CREATE, changes)
        return
    old = getattr(instance, _OLD, None) or {}
    changes = {
        k: [_display(by_name[k], old.get(k)), _display(by_name[k], v)]
        for k, v in new.items()
        if old.get(k) != v
    }
    if changes:
        _record(instance, AuditAction.UPDATE, changes)


def _after_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    by_name = {f.name: f for f in _fields(instance)}
    changes = {
        k: [_display(by_name[k], v), None]
        for k, v in _values(instance).items()
        if v not in (None, "", {})
    }
    _record(instance, AuditAction.DELETE, changes)


def _people(sender: Any, instance: Any, action: str, pk_set: Any, **kw: Any) -> None:
    """Who took part in a session is a many-to-many link: record its changes too."""
    if action not in {"post_add", "post_remove"} or not isinstance(instance, PilotSession):
        return
    names = sorted(str(p) for p in PilotParticipant.objects.filter(pk__in=pk_set or []))
    if names:
        change = [None, names] if action == "post_add" else [names, None]
        _record(instance, AuditAction.UPDATE, {"participants": change})


def connect() -> None:
    for model in AUDITED:
        uid = f"pilot-audit-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-del")
    m2m_changed.connect(
        _people, sender=PilotSession.participants.through, dispatch_uid="pilot-audit-people"
    )
