"""Personal data of the self-assessment: who was invited, who answered, who ran a campaign.

Answers feed the country's scores: erasing a respondent keeps their answers (and stakeholder
group) for those aggregates and anonymises the account they point to.
"""

from django.utils.translation import gettext_lazy as _

from buicasus.accounts.personal_data import PUBLIC_TASK
from buicasus.privacy.register import PersonalData

_KEPT = _("As long as the campaign; the account is anonymised on request.")

PERSONAL_DATA = [
    PersonalData(
        model="assessment.Campaign",
        fields=("created_by",),
        purpose=_("Say who opened a self-assessment campaign."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="created_by",
    ),
    PersonalData(
        model="assessment.Invitation",
        fields=("user", "group", "invited_by"),
        purpose=_("Who is asked to answer a campaign, for which stakeholder group."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="user",
    ),
    PersonalData(
        model="assessment.Invitation",
        fields=("invited_by",),
        purpose=_("Say who invited a respondent."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="invited_by",
    ),
    PersonalData(
        model="assessment.Response",
        fields=("respondent", "group", "status"),
        purpose=_("A respondent's answers, kept for the country's scores by stakeholder group."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="respondent",
    ),
]
