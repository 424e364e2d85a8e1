"""Template context shared by every page: countries for the switcher, the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from buicasus.accounts import permissions
from buicasus.reference.models import Country


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "all_countries": list(Country.objects.all()),
        "current_country": request.session.get("country", "")
        if hasattr(request, "session")
        else "",
        "is_platform_admin": permissions.is_platform_admin(user),
        "is_editor": permissions.is_editor_anywhere(user),
        "proposal_countries": permissions.countries_with(user, permissions.Role.EDITOR)
        if user is not None and user.is_authenticated
        else [],
    }
