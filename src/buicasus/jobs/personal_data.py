"""Personal data of background jobs: who started one."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import account_trail

PERSONAL_DATA = account_trail(
    "jobs.Job",
    ("started_by",),
    _("Show a person the tasks they started (imports, reports) and their outcome."),
    _("As long as the task's record; the account is anonymised on request."),
)
