"""Personal data of the analysis: who added, reworded or dismissed a SWOT line."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import account_trail

_KEPT = _("As long as the country's SWOT; the account is anonymised on request.")

PERSONAL_DATA = [
    *account_trail(
        "analysis.SwotEdit",
        ("updated_by",),
        _("Say who last edited a line of a country's SWOT."),
        _KEPT,
    ),
    *account_trail(
        "analysis.SwotEditEntry", ("user",), _("The history of edits to a country's SWOT."), _KEPT
    ),
]
