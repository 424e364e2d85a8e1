"""Who may see and manage a mentoring pilot: the policy `PILOTS` (the rules are spelled out in
`pilots.access`, which pages, API and services ask)."""

from __future__ import annotations

from buicasus.accounts.models import Role
from buicasus.accounts.policy import Grant, Policy, register
from buicasus.pilots.models import Pilot

_SOURCE = "source_initiative__country"
_PARTICIPANT = Grant(user="participants__user")
_MANAGERS = Grant(role=Role.EDITOR, country="target_country")

PILOTS: Policy[Pilot] = Policy(
    Pilot,
    {
        "view": (
            Grant(role=Role.VIEWER, country="target_country"),
            Grant(role=Role.VIEWER, country=_SOURCE),
            _PARTICIPANT,
        ),
        "manage": (_MANAGERS,),
        "add_session": (_MANAGERS, Grant(role=Role.EDITOR, country=_SOURCE), _PARTICIPANT),
    },
)
register(PILOTS)
