"""Personal data of the registry: who created, changed and audited each record.

The registry describes organisations and initiatives, not people; the only personal data is
the account behind each change, kept so that every change can be traced. Erasing a person
anonymises that account: the rows stay, and no longer name anyone.
"""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import PUBLIC_TASK, PersonalData, account_trail

_TRACE = _("Say who created and last changed a record (accountability of public data).")
_KEPT = _("As long as the record; the account is anonymised on request.")

PERSONAL_DATA = [
    *(
        entry
        for model in ("Organisation", "Initiative", "InitiativeRole", "OrganisationTie")
        for entry in account_trail(f"registry.{model}", ("created_by", "updated_by"), _TRACE, _KEPT)
    ),
    PersonalData(
        model="registry.AuditEntry",
        fields=("user", "at", "action", "object_repr"),
        purpose=_("The audit trail of every change to registry data."),
        legal_basis=PUBLIC_TASK,
        retention=_("As long as the platform; the account is anonymised on request."),
        on_erase="keep",
        person="user",
    ),
]
