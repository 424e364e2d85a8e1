"""Admin views of import batches and provenance links (read-only: imports change them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from buicasus.importer.models import ImportBatch, SourceRecord


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnly):
    list_display = (
        "id",
        "started_at",
        "source_name",
        "file_name",
        "status",
        "count_new",
        "count_updated",
        "count_unchanged",
        "count_invalid",
        "user",
    )
    list_filter = ("status", "dry_run")
    search_fields = ("source_name", "file_name", "file_sha256")


@admin.register(SourceRecord)
class SourceRecordAdmin(ReadOnly):
    list_display = ("source_name", "kind", "source_id", "linked_id", "imported_at")
    list_filter = ("kind",)
    search_fields = ("source_name", "source_id")
    raw_id_fields = ("organisation", "initiative", "initiative_role", "organisation_tie")
