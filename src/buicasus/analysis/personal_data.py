"""Personal data of the analysis: who added, reworded or dismissed a SWOT line."""

from django.utils.translation import gettext_lazy as _

from buicasus.accounts.personal_data import PUBLIC_TASK
from buicasus.privacy.register import PersonalData

_KEPT = _("As long as the country's SWOT; the account is anonymised on request.")

PERSONAL_DATA = [
    PersonalData(
        model="analysis.SwotEdit",
        fields=("updated_by",),
        purpose=_("Say who last edited a line of a country's SWOT."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="updated_by",
    ),
    PersonalData(
        model="analysis.SwotEditEntry",
        fields=("user",),
        purpose=_("The history of edits to a country's SWOT."),
        legal_basis=PUBLIC_TASK,
        retention=_KEPT,
        on_erase="keep",
        person="user",
    ),
]
