"""Admin pages that only platform admins may open (country roles do not reach them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from buicasus.accounts import permissions


class PlatformAdminOnly:
    """Every permission of the admin page asks whether the user is a platform admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)
