"""Personal data of mentoring pilots: mentors and mentees, and who recorded what."""

from django.utils.translation import gettext_lazy as _

from buicasus.privacy.register import PUBLIC_TASK, PersonalData, account_trail

_KEPT = _("As long as the pilot; the account is anonymised on request.")

PERSONAL_DATA = [
    PersonalData(
        model="pilots.PilotParticipant",
        fields=("name", "email", "role", "organisation"),
        purpose=_("Who mentors and who is mentored in a pilot, and how to reach them."),
        legal_basis=PUBLIC_TASK,
        retention=_("As long as the pilot; name and address are blanked on request."),
        on_erase="scrub",
        person="user",
        email="email",
    ),
    *account_trail(
        "pilots.PilotSession", ("created_by",), _("Say who recorded a mentoring session."), _KEPT
    ),
    *account_trail(
        "pilots.Pilot",
        ("created_by", "updated_by"),
        _("Say who started and last changed a pilot."),
        _KEPT,
    ),
]
