"""Import batches and the provenance links they leave behind.

- `ImportBatch`: one run of the importer (who, when, which file, what happened).
- `SourceRecord`: one record *of a source* — (source name, kind, source id) — and the registry
  record it became. A registry record can have several: after the deduplication engine merges
  two organisations, it repoints the losing record's `SourceRecord` rows to the survivor, so the
  survivor keeps both provenances and a re-import of either source updates the survivor. The
  registry record's own `source_name`/`source_record_id` keep the first source only.
- `ImportChange`: what a batch did to each registry record (created, updated with the previous
  values, or linked an existing record to a new source record), so the batch can be undone.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from buicasus.registry.models import Initiative, InitiativeRole, Organisation, OrganisationTie


class Kind(models.TextChoices):
    """The kinds of canonical record (see docs/import-format.md)."""

    ORGANISATION = "organisation", _("Organisation")
    INITIATIVE = "initiative", _("Initiative")
    ROLE = "role", _("Initiative role")
    TIE = "tie", _("Organisation tie")


class BatchStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    DRY_RUN = "dry-run", _("Dry run")
    REFUSED = "refused", _("Refused: invalid rows, nothing written")
    FAILED = "failed", _("Failed, nothing written")
    UNDONE = "undone", _("Undone")


class ImportBatch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source_name = models.CharField(_("source name"), max_length=200)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=300, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=32, blank=True)
    mapping_name = models.CharField(_("mapping"), max_length=200, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.RUNNING
    )
    count_new = models.PositiveIntegerField(_("new"), default=0)
    count_updated = models.PositiveIntegerField(_("updated"), default=0)
    count_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    count_invalid = models.PositiveIntegerField(_("invalid"), default=0)
    counts = models.JSONField(_("counts by kind"), default=dict, blank=True)
    error_summary = models.TextField(_("error summary"), blank=True)
    # The first problems found, [row, field, message]; the rejects file holds them all.
    invalid_rows = models.JSONField(_("invalid rows"), default=list, blank=True)
    rejects_file = models.CharField(_("rejects file"), max_length=500, blank=True)
    # How to run the same file again (pages: a dry run first, then the real import).
    stored_file = models.CharField(_("stored upload"), max_length=500, blank=True)
    options = models.JSONField(_("reader options"), default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_name} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("importer:batch-detail", args=[self.pk])


class SourceRecord(models.Model):
    """A record of a source and the registry record it is (exactly one of the four links)."""

    source_name = models.CharField(_("source name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source_id = models.CharField(_("id in the source"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source_records",
        db_index=False,
    )
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source_records",
        db_index=False,
    )
    initiative_role = models.ForeignKey(
        InitiativeRole,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source_records",
        db_index=False,
    )
    organisation_tie = models.ForeignKey(
        OrganisationTie,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source_records",
        db_index=False,
    )
    first_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    last_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        # One index per link, partial: each row sets one of the four, and indexing the three
        # NULLs of every row would cost the import a quarter of its insert time.
        indexes = [
            models.Index(
                fields=[name],
                condition=models.Q(**{f"{name}__isnull": False}),
                name=f"source_{name}",
            )
            for name in ("organisation", "initiative", "initiative_role", "organisation_tie")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_name", "kind", "source_id"], name="source_record_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="organisation",
                        organisation__isnull=False,
                        initiative__isnull=True,
                        initiative_role__isnull=True,
                        organisation_tie__isnull=True,
                    )
                    | models.Q(
                        kind="initiative",
                        organisation__isnull=True,
                        initiative__isnull=False,
                        initiative_role__isnull=True,
                        organisation_tie__isnull=True,
                    )
                    | models.Q(
                        kind="role",
                        organisation__isnull=True,
                        initiative__isnull=True,
                        initiative_role__isnull=False,
                        organisation_tie__isnull=True,
                    )
                    | models.Q(
                        kind="tie",
                        organisation__isnull=True,
                        initiative__isnull=True,
                        initiative_role__isnull=True,
                        organisation_tie__isnull=False,
                    )
                ),
                name="source_record_one_link",
            ),
        ]
        verbose_name = _("source record")
        verbose_name_plural = _("source records")

    def __str__(self) -> str:
        return f"{self.source_name} {self.kind} {self.source_id}"

    @property
    def linked_id(self) -> int | None:
        """The registry record's id, whichever of the four links holds it."""
        return (
            self.organisation_id
            or self.initiative_id
            or self.initiative_role_id
            or self.organisation_tie_id
        )


# The foreign key of `SourceRecord` that holds each kind's registry record.
LINK_FIELD = {
    Kind.ORGANISATION: "organisation",
    Kind.INITIATIVE: "initiative",
    Kind.ROLE: "initiative_role",
    Kind.TIE: "organisation_tie",
}


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    LINKED = "linked", _("Linked to an existing record")


class ImportChange(models.Model):
    """Registry records a batch created (a run of ids), updated (one, with its previous values)
    or linked (one, to a new source record)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    record_id = models.PositiveBigIntegerField(_("record id"))
    # Records a batch creates get consecutive ids; one change then covers record_id…last_record_id.
    last_record_id = models.PositiveBigIntegerField(_("last record id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=ChangeAction.choices)
    # updated: {"fields": {attname: old raw value}, "m2m": {name: [ids]}, "identifiers": [...],
    # "fundings": [...], "source_record": {"id", "content_hash", "last_batch"}}
    # linked: {"source_record": id}
    previous = models.JSONField(_("previous values"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "record_id"], name="import_change_record")]
        verbose_name = _("import change")
        verbose_name_plural = _("import changes")

    def __str__(self) -> str:
        last = f"–{self.last_record_id}" if self.last_record_id else ""
        return f"{self.batch_id} {self.action} {self.kind} {self.record_id}{last}"

    def record_ids(self) -> range:
        return range(self.record_id, (self.last_record_id or self.record_id) + 1)
