"""Personal data kept by django-axes, the login throttling the platform installs."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import PersonalData

_SECURITY = _("Art. 6(1)(f) GDPR: legitimate interest in protecting the accounts")
_LOGIN_FIELDS = ("username", "ip_address", "user_agent", "path_info", "attempt_time")
_RETENTION = _("The retention period for logins (BUICASUS_RETENTION_LOGIN_DAYS).")

PERSONAL_DATA = [
    PersonalData(
        model=f"axes.{model}",
        fields=(*_LOGIN_FIELDS, extra),
        purpose=purpose,
        legal_basis=_SECURITY,
        retention=_RETENTION,
        on_erase="delete",
        username="username",
        expire_after="RETENTION_LOGIN_DAYS",
        expire_field="attempt_time",
    )
    for model, extra, purpose in (
        ("AccessAttempt", "failures_since_start", _("Lock out repeated failed logins.")),
        ("AccessFailureLog", "locked_out", _("Investigate attacks on accounts.")),
        ("AccessLog", "logout_time", _("Investigate attacks on accounts.")),
    )
]
