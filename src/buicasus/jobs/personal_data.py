"""Personal data of background jobs: who started one."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import account_trail

PERSONAL_DATA = account_trail(
    "jobs.Job",
    ("started_by",),
    _("Show a person the tasks they started (imports, reports) and their outcome."),
    _("90 days after the task finished; the account is anonymised on request."),
)
