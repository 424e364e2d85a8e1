"""Personal data of the self-assessment: who was invited, who answered, who ran a campaign.

Answers feed the country's scores: erasing a respondent keeps their answers (and stakeholder
group) for those aggregates and anonymises the account they point to.
"""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import account_trail

_KEPT = _("As long as the campaign; the account is anonymised on request.")

PERSONAL_DATA = [
    *account_trail(
        "assessment.Campaign",
        ("created_by",),
        _("Say who opened a self-assessment campaign."),
        _KEPT,
    ),
    *account_trail(
        "assessment.Invitation",
        ("user", "invited_by"),
        _("Who is asked to answer a campaign, for which stakeholder group, and by whom."),
        _KEPT,
    ),
    *account_trail(
        "assessment.Response",
        ("respondent",),
        _("A respondent's answers, kept for the country's scores by stakeholder group."),
        _KEPT,
    ),
]
