"""Personal data of duplicate detection: who decided on a pair and who merged or undid."""

from django.utils.translation import gettext_lazy as _

from buicasus.accounts.personal_data import PUBLIC_TASK
from buicasus.privacy.register import PersonalData

_KEPT = _("As long as the decision; the account is anonymised on request.")

PERSONAL_DATA = [
    PersonalData(
        model="dedup.CandidatePair",
        fields=("decided_by",),
        purpose=_("Say who decided that two records are, or are not, the same."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="decided_by",
    ),
] + [
    PersonalData(
        model="dedup.MergeRecord",
        fields=(field,),
        purpose=_("Say who merged two records, or undid the merge."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person=field,
    )
    for field in ("merged_by", "undone_by")
]
