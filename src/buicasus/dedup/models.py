"""Candidate pairs of duplicate organisations, and the merges made from them.

A merge deletes the merged organisation (after moving everything that pointed at it) and keeps a
complete snapshot in its `MergeRecord`, so that an undo recreates it with the same id. Hence the
links to organisations here are plain references without a database constraint
(`db_constraint=False`, `DO_NOTHING`): a pair or a merge outlives the organisation it names, and
points at it again once an undo has restored it. Lists join through them, so pairs naming an
organisation that no longer exists simply drop out of the queue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.registry.models import Organisation


class ExactJSONEncoder(DjangoJSONEncoder):
    """Datetimes with their microseconds (Django's encoder keeps milliseconds), so that an
    undo restores timestamps exactly."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class PairStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    MERGED = "merged", _("Merged")
    KEPT_APART = "kept_apart", _("Kept apart")


class MatchRule(models.TextChoices):
    IDENTIFIER = "identifier", _("Same national identifier")
    NAME_PLACE = "name-place", _("Similar name and place")


def _organisation(verbose: str) -> models.ForeignKey:
    return models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=verbose,
    )


class CandidatePair(models.Model):
    """Two organisations (a.id < b.id) that may be the same, with the score and its reasons."""

    a = _organisation(_("first organisation"))
    b = _organisation(_("second organisation"))
    score = models.FloatField(_("score"))
    rule = models.CharField(_("rule"), max_length=16, choices=MatchRule.choices)
    # {"rule", "agreed": [fields], "differed": [fields], "name_score", "place", "identifier" …}
    reasons = models.JSONField(_("reasons"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=PairStatus.choices, default=PairStatus.PENDING
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["a", "b"], name="dedup_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(a__lt=models.F("b")), name="dedup_pair_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"])]
        verbose_name = _("candidate duplicate pair")
        verbose_name_plural = _("candidate duplicate pairs")

    def __str__(self) -> str:
        return f"#{self.a_id} ~ #{self.b_id} ({self.score:.0f})"


class MergeRecord(models.Model):
    """One merge: what the merged organisation was, and everything the merge moved or changed.

    `snapshot`: {"organisation": all its columns, "identifiers": [rows]}.
    `moved`: what the merge re-pointed, by id — "identifiers", "roles" and "ties" (with their
    stamps before and after), "related" (other apps' rows, e.g. importer source records) — and
    "dropped": the roles and ties it deleted as duplicates or self-ties, each with the rows
    that pointed at it, handed to its surviving twin or recorded to be recreated.
    `kept_changes`: {"fields": {field: [before, after]}, "stamp": [before, after]} of the kept
    organisation (other names added, blanks filled from the merged one).
    """

    pair = models.ForeignKey(
        CandidatePair,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merges",
        verbose_name=_("candidate pair"),
    )
    kept = _organisation(_("kept organisation"))
    kept_name = models.CharField(_("kept organisation"), max_length=300)
    kept_country = models.CharField(_("country of the kept organisation"), max_length=2)
    merged_id = models.BigIntegerField(_("merged organisation id"), db_index=True)
    merged_name = models.CharField(_("merged organisation"), max_length=300)
    merged_country = models.CharField(_("country of the merged organisation"), max_length=2)
    snapshot = models.JSONField(_("snapshot"), encoder=ExactJSONEncoder, default=dict)
    moved = models.JSONField(_("re-pointed rows"), encoder=ExactJSONEncoder, default=dict)
    kept_changes = models.JSONField(_("changes"), encoder=ExactJSONEncoder, default=dict)
    automatic = models.BooleanField(_("automatic"), default=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True, db_index=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.merged_name} (#{self.merged_id}) → {self.kept_name} (#{self.kept_id})"
