"""Personal data of imports: who imported a batch, and who undid it."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import account_trail

PERSONAL_DATA = account_trail(
    "importer.ImportBatch",
    ("user", "undone_by"),
    _("Say who brought a batch of records in, or took it out again."),
    _("As long as the batch; the account is anonymised on request."),
)
