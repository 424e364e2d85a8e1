"""Personal data of the accounts app: user accounts, their roles and API tokens."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import PUBLIC_TASK, PersonalData

PERSONAL_DATA = [
    PersonalData(
        model="auth.User",
        fields=("username", "first_name", "last_name", "email", "last_login", "date_joined"),
        purpose=_("Log in, and say who changed what."),
        legal_basis=PUBLIC_TASK,
        retention=_("While the person works with the platform; anonymised on request."),
        on_erase="scrub",
        person="id",
    ),
    PersonalData(
        model="accounts.Membership",
        fields=("role", "country", "granted_at"),
        purpose=_("Which countries a person may read and edit, in which role."),
        legal_basis=PUBLIC_TASK,
        retention=_("Until the role is revoked or the person is erased."),
        on_erase="delete",
        person="user",
    ),
    PersonalData(
        model="accounts.ApiToken",
        fields=("name", "prefix", "created_at", "last_used_at"),
        purpose=_("Let a person's programs use the API in their name."),
        legal_basis=PUBLIC_TASK,
        retention=_("Until revoked or the person is erased."),
        on_erase="delete",
        person="user",
    ),
]
