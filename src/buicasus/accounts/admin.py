"""Role memberships and API tokens in the admin; coordinators manage their own country."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from buicasus.accounts import permissions
from buicasus.accounts.models import ApiToken, Membership, Role


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "country", "granted_at")
    list_filter = ("role", "country")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        qs = super().get_queryset(request)
        if permissions.is_platform_admin(request.user):
            return qs
        codes = permissions.countries_with(request.user, Role.COORDINATOR)
        return qs.filter(country__code__in=codes)

    def _may(self, request: HttpRequest, obj: Model | None) -> bool:
        if permissions.is_platform_admin(request.user):
            return True
        if obj is None:
            return bool(permissions.countries_with(request.user, Role.COORDINATOR))
        membership: Any = obj
        return membership.role != Role.ADMIN and permissions.can_manage_users(
            request.user, membership.country.code if membership.country else None
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self._may(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
