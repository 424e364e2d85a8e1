"""Task backends for tests of pages and API calls that start background jobs.

The project's backend queues jobs in the database, and tests run them with
`jobs.services.run_queued()` (the real worker, in the test's process). Areas whose tests are
about what a finished job shows, rather than about the queue, run jobs as they are queued
(`IMMEDIATE`, set by their conftest)."""

from __future__ import annotations

from typing import Any

IMMEDIATE: dict[str, Any] = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}
QUEUED: dict[str, Any] = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
