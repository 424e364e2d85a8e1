"""Who may read and change a mentoring pilot. Pages, API and services all ask here.

The rules, declared once as the policy `pilots.policies.PILOTS` (see `accounts.policy`: the
list filter and the check of one pilot are both read from it):

- A pilot belongs to its **target country**. Its editors and coordinators (and platform admins)
  manage it: edit it, its participants, milestones, adaptations and risks, advance its phase,
  finish it, delete it.
- **Reading**: staff (viewer and up) of the target country, and of the source country (the
  country of the source initiative, where the mentors come from), and the platform users taking
  part as mentors or mentees. Everyone else gets 403, on pages and API alike; pilots are working
  documents with named people, so nothing is public.
- **Mentoring sessions** (the mentors' entries) may be recorded by the managers, by the editors
  and coordinators of the source country (the mentoring side), and by mentors and mentees who
  are platform users. A session can be changed or removed by the managers and by whoever
  recorded it. Source-country staff may not change the rest of the pilot: its plan and risks
  are the target country's decisions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from buicasus.accounts import permissions
from buicasus.accounts.permissions import Role
from buicasus.pilots.models import Pilot, PilotSession
from buicasus.pilots.policies import PILOTS


def can_manage(user: Any, pilot: Pilot) -> bool:
    return PILOTS.allows(user, pilot, "manage")


def can_view(user: Any, pilot: Pilot) -> bool:
    return PILOTS.allows(user, pilot, "view")


def can_add_session(user: Any, pilot: Pilot) -> bool:
    return PILOTS.allows(user, pilot, "add_session")


def can_change_session(user: Any, session: PilotSession) -> bool:
    if can_manage(user, session.pilot):
        return True
    mine = session.created_by_id is not None and session.created_by_id == getattr(user, "pk", -1)
    return mine and can_add_session(user, session.pilot)


def may_add_entry(user: Any, pilot: Pilot, kind: str) -> bool:
    """Whether `user` may add an entry of `kind` (participants, sessions, milestones …)."""
    if kind == "sessions":
        return can_add_session(user, pilot)
    return can_manage(user, pilot)


def may_change_entry(user: Any, pilot: Pilot, entry: Model) -> bool:
    if isinstance(entry, PilotSession):
        return can_change_session(user, entry)
    return can_manage(user, pilot)


def visible_pilots(user: Any) -> QuerySet[Pilot]:
    """The pilots `user` may read (none for anonymous visitors)."""
    return PILOTS.queryset(user).select_related(
        "target_country", "source_initiative__country", "source_organisation", "target_organisation"
    )


def may_create_somewhere(user: Any) -> list[str]:
    """Codes of the countries where `user` may start a pilot (editor and up)."""
    return permissions.countries_with(user, Role.EDITOR)
