"""Who may see and change a need: the policy `NEEDS` (see `accounts.policy`).

A need belongs to its country: that country's staff (viewer and up) read it, its editors
manage it (edit, delete, share). Staff of a country the need is shared with read it too.
"""

from __future__ import annotations

from buicasus.accounts.models import Role
from buicasus.accounts.policy import Grant, Policy, register
from buicasus.matching.models import Need

NEEDS: Policy[Need] = Policy(
    Need,
    {
        "view": (Grant(role=Role.VIEWER), Grant(role=Role.VIEWER, country="shares__country")),
        "manage": (Grant(role=Role.EDITOR),),
    },
)
register(NEEDS)
