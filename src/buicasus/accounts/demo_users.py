"""Demo users, one per role, for trying the platform locally (never for production)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from buicasus.accounts.models import Membership, Role
from buicasus.reference.models import Country

DEMO_PASSWORD = "demo-buicasus"
# (username, role, country)
DEMO_USERS = (
    ("admin", Role.ADMIN, None),
    ("coordinator-lv", Role.COORDINATOR, "LV"),
    ("editor-es", Role.EDITOR, "ES"),
    ("contributor-fr", Role.CONTRIBUTOR, "FR"),
    ("viewer-se", Role.VIEWER, "SE"),
)


def ensure_demo_users() -> list[AbstractBaseUser]:
    User = get_user_model()
    users = []
    for username, role, code in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role in {Role.ADMIN, Role.COORDINATOR, Role.EDITOR}
            user.is_superuser = role == Role.ADMIN
            user.save()
        country = Country.objects.get(code=code) if code else None
        Membership.objects.get_or_create(user=user, role=role, country=country)
        users.append(user)
    return users
