"""Personal data of matching: who wrote, shared or answered a need; notifications; searches."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import PUBLIC_TASK, PersonalData, account_trail

_KEPT = _("As long as the need; the account is anonymised on request.")
_OWN = _("Until the person deletes it or is erased.")

PERSONAL_DATA = [
    *account_trail(
        "matching.Need",
        ("created_by",),
        _("Say who described a need, so the centre can follow it up."),
        _KEPT,
    ),
    *account_trail(
        "matching.NeedShare",
        ("shared_by",),
        _("Say who asked another country about a need."),
        _KEPT,
    ),
    *account_trail(
        "matching.Recommendation",
        ("recommended_by",),
        _("Show who recommended an initiative for a need, and why."),
        _KEPT,
    ),
    PersonalData(
        model="matching.Notification",
        fields=("user", "kind", "created_at", "read_at"),
        purpose=_("Tell a person that another country answered their need."),
        legal_basis=PUBLIC_TASK,
        retention=_OWN,
        on_erase="delete",
        person="user",
    ),
    PersonalData(
        model="matching.SavedSearch",
        fields=("owner",),
        purpose=_("Keep a person's searches for solutions, to run them again."),
        legal_basis=PUBLIC_TASK,
        retention=_OWN,
        on_erase="delete",
        person="owner",
    ),
]
