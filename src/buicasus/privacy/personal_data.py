"""Personal data kept by django-axes, the login throttling the platform installs."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import PersonalData

_SECURITY = _("Art. 6(1)(f) GDPR: legitimate interest in protecting the accounts")
_LOGIN_FIELDS = ("username", "ip_address", "user_agent", "path_info", "attempt_time")

PERSONAL_DATA = [
    PersonalData(
        model="axes.AccessAttempt",
        fields=(*_LOGIN_FIELDS, "failures_since_start"),
        purpose=_("Lock out repeated failed logins."),
        legal_basis=_SECURITY,
        retention=_("Until the lock-out ends or the retention period for logins passes."),
        on_erase="delete",
        username="username",
        expire_after="RETENTION_LOGIN_DAYS",
        expire_field="attempt_time",
    ),
    PersonalData(
        model="axes.AccessFailureLog",
        fields=(*_LOGIN_FIELDS, "locked_out"),
        purpose=_("Investigate attacks on accounts."),
        legal_basis=_SECURITY,
        retention=_("The retention period for logins (BUICASUS_RETENTION_LOGIN_DAYS)."),
        on_erase="delete",
        username="username",
        expire_after="RETENTION_LOGIN_DAYS",
        expire_field="attempt_time",
    ),
    PersonalData(
        model="axes.AccessLog",
        fields=(*_LOGIN_FIELDS, "logout_time"),
        purpose=_("Investigate attacks on accounts."),
        legal_basis=_SECURITY,
        retention=_("The retention period for logins (BUICASUS_RETENTION_LOGIN_DAYS)."),
        on_erase="delete",
        username="username",
        expire_after="RETENTION_LOGIN_DAYS",
        expire_field="attempt_time",
    ),
]
