"""Admin: platform admins only (coordinators manage their campaigns on the pages, where the
per-country rules live). Frameworks are read-only: they come from YAML files
(`buicasus load-framework`); campaigns, invitations and responses can be inspected and
corrected."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from buicasus.accounts.admin_access import PlatformAdminOnly
from buicasus.assessment.models import (
    Answer,
    Campaign,
    Dimension,
    Framework,
    Invitation,
    Response,
    Statement,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DimensionInline(ReadOnlyInline):
    model = Dimension
    fields = ("code", "order", "label")


@admin.register(Framework)
class FrameworkAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("key", "version", "file_name", "loaded_at")
    readonly_fields = ("key", "version", "title", "source", "scale_min", "scale_max", "file_name")
    inlines = [DimensionInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # `buicasus load-framework FILE`

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("code", "framework", "dimension", "order", "replaces")
    list_filter = ("framework",)
    search_fields = ("code",)
    readonly_fields = ("framework", "dimension", "code", "order", "text", "low", "high", "replaces")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ("user", "invited_by")


@admin.register(Campaign)
class CampaignAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("title", "country", "framework", "status", "is_demo", "created_at")
    list_filter = ("status", "is_demo", "country")
    search_fields = ("title",)
    raw_id_fields = ("created_by",)
    inlines = [InvitationInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    raw_id_fields = ("statement", "evidence_organisation", "evidence_initiative")


@admin.register(Response)
class ResponseAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("respondent", "campaign", "group", "status", "submitted_at")
    list_filter = ("status", "group", "campaign__country")
    raw_id_fields = ("respondent",)
    inlines = [AnswerInline]
