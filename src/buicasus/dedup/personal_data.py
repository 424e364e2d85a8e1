"""Personal data of duplicate detection: who decided on a pair and who merged or undid."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import account_trail

_KEPT = _("As long as the decision; the account is anonymised on request.")

PERSONAL_DATA = [
    *account_trail(
        "dedup.CandidatePair",
        ("decided_by",),
        _("Say who decided that two records are, or are not, the same."),
        _KEPT,
    ),
    *account_trail(
        "dedup.MergeRecord",
        ("merged_by", "undone_by"),
        _("Say who merged two records, or undid the merge."),
        _KEPT,
    ),
]
