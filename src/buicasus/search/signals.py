"""Signals that keep single edits of the registry in the search index, wherever they happen
(pages, API, admin, imports that save record by record): saving or deleting an organisation
or an initiative, changing an initiative's regions, policy fields, SDGs or ESF+ objectives
(from either side), adding or removing a funding."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from buicasus.registry.models import Funding, Initiative
from buicasus.search.indexing import DOC, MODELS, schedule


def _record_saved(sender: type[Model], instance: Model, **kw: Any) -> None:
    if not kw.get("raw"):
        schedule(sender._meta.model_name or "", [instance.pk])


def _record_deleted(sender: type[Model], instance: Model, **kw: Any) -> None:
    schedule(sender._meta.model_name or "", [instance.pk])


def _funding_changed(sender: type[Model], instance: Funding, **kw: Any) -> None:
    if not kw.get("raw"):
        schedule("initiative", [instance.initiative_id])


def _links_changed(sender: type[Model], instance: Model, action: str, **kw: Any) -> None:
    """An initiative's regions or terms changed (from either side of the relation)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if isinstance(instance, Initiative):
        schedule("initiative", [instance.pk])
    elif kw.get("pk_set"):
        schedule("initiative", kw["pk_set"])


def _cleared_database(sender: Any, **kw: Any) -> None:
    """After `flush` (tests) the document table is empty but SQLite's FTS5 table, which Django
    does not know about, is not: empty it too so stale rows cannot match."""
    using = kw.get("using") or "default"
    if getattr(sender, "label", "") != "search" or using != connection.alias:
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        if "search_fts" not in names or DOC not in names:
            return
        cursor.execute(f"SELECT 1 FROM {DOC} LIMIT 1")
        if cursor.fetchone() is None:
            cursor.execute("DELETE FROM search_fts")


def connect() -> None:
    """Called once from the app's `ready()`."""
    for model in MODELS.values():
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"search-save-{model}")
        post_delete.connect(_record_deleted, sender=model, dispatch_uid=f"search-del-{model}")
    post_save.connect(_funding_changed, sender=Funding, dispatch_uid="search-funding-save")
    post_delete.connect(_funding_changed, sender=Funding, dispatch_uid="search-funding-del")
    for name in ("regions", "policy_fields", "sdgs", "esf_objectives"):
        through = getattr(Initiative, name).through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"search-m2m-{name}")
    post_migrate.connect(_cleared_database, dispatch_uid="search-flush")
