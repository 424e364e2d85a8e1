"""What a person sees of a background task: one `Job` per run they (or the platform) started,
with its progress, outcome and error. The queue itself is django-tasks' (`django_tasks_db`);
a job outlives its attempts there, which come and go with retries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    label = models.CharField(_("task"), max_length=300)
    # Jobs started with the same key while one waits are the same job (see `services.start`).
    key = models.CharField(_("key"), max_length=200, blank=True, db_index=True)
    task_path = models.CharField(_("task path"), max_length=300)
    arguments = models.JSONField(_("arguments"), default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    language = models.CharField(_("language"), max_length=12, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    step = models.CharField(_("current step"), max_length=300, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    result_url = models.CharField(_("result link"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    task_result_id = models.CharField(_("queue entry"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        """Share done, 0–100, or None while the amount of work is unknown."""
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def message(self) -> str:
        """What the task said when it finished (its outcome's `message`)."""
        value = self.outcome.get("message", "") if isinstance(self.outcome, dict) else ""
        return str(value)
