"""Admin views of the matching data (reading and light fixes; the pages are the main way)."""

from __future__ import annotations

from django.contrib import admin

from buicasus.matching.models import (
    Need,
    NeedShare,
    Notification,
    Recommendation,
    RegionalGdp,
    SavedSearch,
)


class NeedShareInline(admin.TabularInline):
    model = NeedShare
    extra = 0
    raw_id_fields = ("shared_by",)


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("title", "country", "status", "is_demo", "created_at")
    list_filter = ("country", "status", "is_demo")
    search_fields = ("title", "text")
    raw_id_fields = ("organisation", "region", "created_by")
    inlines = [NeedShareInline]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("need", "initiative", "country", "recommended_by", "created_at")
    list_filter = ("country", "is_demo")
    raw_id_fields = ("need", "initiative", "recommended_by")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "need", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "need", "recommendation")


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "need", "updated_at")
    raw_id_fields = ("owner", "need")
    exclude = ("results",)


@admin.register(RegionalGdp)
class RegionalGdpAdmin(admin.ModelAdmin):
    list_display = ("nuts_code", "year", "pps_per_head", "flags")
    search_fields = ("nuts_code",)
    list_filter = ("year",)
