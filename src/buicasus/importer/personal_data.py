"""Personal data of imports: who imported a batch, and who undid it."""

from django.utils.translation import gettext_lazy as _

from buicasus.accounts.personal_data import PUBLIC_TASK
from buicasus.privacy.register import PersonalData

PERSONAL_DATA = [
    PersonalData(
        model="importer.ImportBatch",
        fields=(field,),
        purpose=_("Say who brought a batch of records in, or took it out again."),
        legal_basis=PUBLIC_TASK,
        retention=_("As long as the batch; the account is anonymised on request."),
        on_erase="keep",
        person=field,
    )
    for field in ("user", "undone_by")
]
