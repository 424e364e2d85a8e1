"""Background jobs in the admin: read-only, for platform admins (the queue entries with their
tracebacks are django-tasks-db's own admin page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from buicasus.accounts.admin_access import PlatformAdminOnly
from buicasus.jobs.models import Job


@admin.register(Job)
class JobAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("label", "kind", "status", "attempts", "started_by", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("label", "key", "error")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
