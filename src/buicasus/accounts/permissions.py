"""Who may do what, per role and per country. Pages, API and admin all ask here.

Roles (strongest first): platform admin (everything, everywhere); country coordinator (all data
and users of a country); editor (create, edit, approve in assigned countries); contributor
(proposes records that an editor approves or rejects); viewer (reads unpublished records).
Anonymous visitors and users without a role in a country see its published, approved records.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q

from buicasus.accounts.models import Membership, Role

_RANK = {Role.VIEWER: 1, Role.CONTRIBUTOR: 2, Role.EDITOR: 3, Role.COORDINATOR: 4}
_CACHE_ATTR = "_buicasus_roles"


def _roles(user: Any) -> dict[str | None, int]:
    """Country code → strongest role rank; the key None marks a platform admin (cached)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    ranks: dict[str | None, int] = {}
    if user.is_superuser:
        ranks[None] = 99
    for role, code in Membership.objects.filter(user=user).values_list("role", "country__code"):
        if role == Role.ADMIN:
            ranks[None] = 99
        else:
            ranks[code] = max(ranks.get(code, 0), _RANK[Role(role)])
    setattr(user, _CACHE_ATTR, ranks)
    return ranks


def forget_roles(user: Any) -> None:
    """Drop the cached roles after memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_platform_admin(user: Any) -> bool:
    return None in _roles(user)


def _has(user: Any, country_code: str | None, rank: int) -> bool:
    ranks = _roles(user)
    if None in ranks:
        return True
    return country_code is not None and ranks.get(country_code, 0) >= rank


def countries_with(user: Any, role: Role) -> list[str]:
    """Codes of the countries where the user holds `role` or stronger (admins: all)."""
    from buicasus.registry.models import Country

    if is_platform_admin(user):
        return list(Country.objects.values_list("code", flat=True))
    return sorted(c for c, r in _roles(user).items() if c and r >= _RANK[role])


def can_read_unpublished(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, _RANK[Role.VIEWER])


def can_propose(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, _RANK[Role.CONTRIBUTOR])


def can_edit(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, _RANK[Role.EDITOR])


def can_manage_users(user: Any, country_code: str | None) -> bool:
    return _has(user, country_code, _RANK[Role.COORDINATOR])


def is_editor_anywhere(user: Any) -> bool:
    return any(r >= _RANK[Role.EDITOR] for r in _roles(user).values())


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


def visible_filter(user: Any, prefix: str = "") -> Q:
    """Q for the records of a publishable model that `user` may read."""
    p = prefix
    public = Q(**{f"{p}published": True, f"{p}review_status": "approved"})
    ranks = _roles(user)
    if None in ranks:
        return Q()
    readers = [c for c, r in ranks.items() if c and r >= _RANK[Role.VIEWER]]
    editors = [c for c, r in ranks.items() if c and r >= _RANK[Role.EDITOR]]
    q = public
    if readers:
        q |= Q(**{f"{p}country__code__in": readers, f"{p}review_status": "approved"})
    if editors:
        q |= Q(**{f"{p}country__code__in": editors})
    if ranks:
        q |= Q(**{f"{p}created_by": user})
    return q


def can_view(user: Any, obj: Model) -> bool:
    """Whether `user` may read a publishable record (organisation or initiative)."""
    if obj.published and obj.review_status == "approved":  # type: ignore[attr-defined]
        return True
    code = record_country(obj)
    if obj.review_status == "approved":  # type: ignore[attr-defined]
        return can_read_unpublished(user, code)
    if can_edit(user, code):
        return True
    created_by = getattr(obj, "created_by_id", None)
    return created_by is not None and created_by == getattr(user, "pk", -1)


def can_change(user: Any, obj: Model) -> bool:
    """Editors change their countries' records; contributors only their pending proposals."""
    code = record_country(obj)
    if can_edit(user, code):
        return True
    return (
        getattr(obj, "review_status", None) == "proposed"
        and getattr(obj, "created_by_id", None) == getattr(user, "pk", -1)
        and can_propose(user, code)
    )
