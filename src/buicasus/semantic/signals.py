"""Keep embeddings in step with initiative saves, wherever they happen (pages, API, admin,
imports that save record by record): each save schedules its initiative for embedding when
the transaction commits; unchanged text costs a hash and nothing else."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from buicasus.registry.models import Initiative
from buicasus.semantic.embeddings import schedule


def _initiative_saved(sender: type[Initiative], instance: Initiative, **kw: Any) -> None:
    if not kw.get("raw"):
        schedule([instance.pk])


def connect() -> None:
    """Called once from the app's `ready()`. Deletions need nothing: embeddings cascade."""
    post_save.connect(_initiative_saved, sender=Initiative, dispatch_uid="semantic-save")
