"""User and role operations, shared by the CLI, the coordinator's pages and tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from buicasus.accounts import permissions
from buicasus.accounts.models import Membership, Role
from buicasus.reference.models import Country


def create_user_with_role(
    username: str,
    *,
    role: Role,
    country_code: str | None,
    email: str = "",
    password: str | None = None,
) -> tuple[Any, bool]:
    """Create the user if new and grant `role` (in `country_code` unless admin)."""
    if role == Role.ADMIN and country_code:
        raise ValueError("A platform admin has no country; leave --country out.")
    if role != Role.ADMIN and not country_code:
        raise ValueError(f"The role {role.value} needs --country XX.")
    country = None
    if country_code:
        country = Country.objects.filter(code=country_code.upper()).first()
        if country is None:
            raise ValueError(f"Unknown country code {country_code!r}; run load-reference first?")
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        if password:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.is_staff = user.is_staff or role in {Role.ADMIN, Role.COORDINATOR, Role.EDITOR}
        user.is_superuser = user.is_superuser or role == Role.ADMIN
        user.save()
        Membership.objects.get_or_create(user=user, role=role, country=country)
    return user, created


def grant_role(actor: Any, user: Any, role: Role, country_code: str) -> Membership:
    """A coordinator grants a role in their country (never admin, never elsewhere)."""
    if role == Role.ADMIN or not permissions.can_manage_users(actor, country_code):
        raise PermissionDenied
    country = Country.objects.get(code=country_code)
    membership, _ = Membership.objects.get_or_create(user=user, role=role, country=country)
    if role in {Role.COORDINATOR, Role.EDITOR} and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    permissions.forget_roles(user)
    return membership


def revoke_role(actor: Any, membership: Membership) -> None:
    if membership.role == Role.ADMIN or not permissions.can_manage_users(
        actor, membership.country.code if membership.country else None
    ):
        raise PermissionDenied
    membership.delete()
    permissions.forget_roles(membership.user)


def country_members(country_code: str) -> list[Membership]:
    return list(
        Membership.objects.filter(country__code=country_code)
        .select_related("user", "country")
        .order_by("user__username", "role")
    )
