"""Who holds which role in which country. Pages, API and admin all ask here, directly or
through the permission policies built on it (`accounts.policy`), which say who may see and
change each type of record.

Roles (strongest first): platform admin (everything, everywhere); country coordinator (all data
and users of a country); editor (create, edit, approve in assigned countries); contributor
(proposes records that an editor approves or rejects); viewer (reads unpublished records).
Anonymous visitors and users without a role in a country see its published, approved records.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from buicasus.accounts.models import Membership, Role
from buicasus.reference.models import Country

# Role → strength; a country's role of at least a given strength grants that role's rights.
RANK = {Role.VIEWER: 1, Role.CONTRIBUTOR: 2, Role.EDITOR: 3, Role.COORDINATOR: 4}
_CACHE_ATTR = "_buicasus_roles"


def ranks(user: Any) -> dict[str | None, int]:
    """Country code → strongest role rank; the key None marks a platform admin (cached)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    found: dict[str | None, int] = {}
    if user.is_superuser:
        found[None] = 99
    for role, code in Membership.objects.filter(user=user).values_list("role", "country__code"):
        if role == Role.ADMIN:
            found[None] = 99
        else:
            found[code] = max(found.get(code, 0), RANK[Role(role)])
    setattr(user, _CACHE_ATTR, found)
    return found


def forget_roles(user: Any) -> None:
    """Drop the cached roles after memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_platform_admin(user: Any) -> bool:
    return None in ranks(user)


def _has(user: Any, country_code: str | None, rank: int) -> bool:
    held = ranks(user)
    if None in held:
        return True
    return country_code is not None and held.get(country_code, 0) >= rank


def countries_with(user: Any, role: Role) -> list[str]:
    """Codes of the countries where the user holds `role` or stronger (admins: all)."""
    if is_platform_admin(user):
        return list(Country.objects.values_list("code", flat=True))
    return sorted(c for c, r in ranks(user).items() if c and r >= RANK[role])


def can_read_unpublished(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, RANK[Role.VIEWER])


def can_propose(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, RANK[Role.CONTRIBUTOR])


def can_edit(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, RANK[Role.EDITOR])


def can_manage_users(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, RANK[Role.COORDINATOR])


def is_editor_anywhere(user: Any) -> bool:
    return any(r >= RANK[Role.EDITOR] for r in ranks(user).values())


def record_country(obj: Model) -> str | None:
    """The country whose staff own a registry record."""
    for path in ("country", "initiative.country", "source.country", "organisation.country"):
        target: Any = obj
        for attr in path.split("."):
            target = getattr(target, attr, None)
            if target is None:
                break
        if target is not None:
            return str(target.code)
    return None


def sees_unpublished(user: Any) -> bool:
    """Whether the user reads unpublished records somewhere: lists then offer status filters."""
    return bool(ranks(user))
