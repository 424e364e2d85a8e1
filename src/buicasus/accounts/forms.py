"""Forms of the account pages: API tokens and the coordinator's role grants."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from buicasus.accounts import services
from buicasus.accounts.models import Membership, Role

GRANTABLE = [(r.value, r.label) for r in Role if r != Role.ADMIN]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “import script”."),
    )


class GrantRoleForm(forms.Form):
    """Grant a role in one country to an existing user, or to a new one created here."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=GRANTABLE)
    email = forms.EmailField(
        label=_("E-mail (new users)"), required=False, help_text=_("Only used for a new user.")
    )
    password = forms.CharField(
        label=_("Password (new users)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Required when the user does not exist yet; ignored otherwise."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        username = (data.get("username") or "").strip()
        if not username:
            return data
        data["username"] = username
        User = get_user_model()
        existing = User.objects.filter(username=username).first()
        data["existing"] = existing
        if existing is None:
            password = data.get("password") or ""
            if not password:
                self.add_error("password", _("There is no user of that name: give a password."))
            else:
                candidate = User(username=username, email=data.get("email") or "")
                try:
                    password_validation.validate_password(password, candidate)
                except forms.ValidationError as exc:
                    self.add_error("password", exc)
        return data

    def save(self, actor: Any, country_code: str) -> tuple[Membership, bool]:
        """Create the user if new, then grant the role; refusal (403) undoes both."""
        data = self.cleaned_data
        with transaction.atomic():
            user = data["existing"]
            created = user is None
            if created:
                user = get_user_model().objects.create_user(
                    username=data["username"],
                    email=data.get("email") or "",
                    password=data["password"],
                )
            membership = services.grant_role(actor, user, Role(data["role"]), country_code)
        return membership, created
