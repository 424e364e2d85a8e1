"""Who may see and change registry records: one policy per record type (`accounts.policy`).

- **Organisations and initiatives.** Everyone sees the published, approved ones. Staff of a
  country (viewer and up) see its approved records, published or not; its editors see all its
  records, proposals and rejections included. The records a user created stay visible to
  them while they hold a role (in any country): losing every role ends the access, like
  every other right. Editors change and manage (delete, review) their countries'
  records; a contributor changes only their own proposal while it awaits review.
- **Roles in initiatives and ties between organisations** are seen when both ends are seen,
  and managed by the editors of their anchor's country (the initiative, the tie's source).
"""

from __future__ import annotations

from buicasus.accounts.models import Role
from buicasus.accounts.policy import Grant, Policy, RelationPolicy, register
from buicasus.registry.models import (
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationTie,
    ReviewStatus,
)

APPROVED = {"review_status": ReviewStatus.APPROVED}
PUBLIC = {"published": True, **APPROVED}

RECORD_RULES = {
    "view": (
        Grant(where=PUBLIC),
        Grant(role=Role.VIEWER, where=APPROVED),
        Grant(role=Role.EDITOR),
        Grant(role=Role.VIEWER, country=None, user="created_by"),
    ),
    "change": (
        Grant(role=Role.EDITOR),
        Grant(
            role=Role.CONTRIBUTOR,
            user="created_by",
            where={"review_status": ReviewStatus.PROPOSED},
        ),
    ),
    "manage": (Grant(role=Role.EDITOR),),
    # The audit trail names who changed what: the country's staff, and a proposal's author.
    "history": (
        Grant(role=Role.VIEWER),
        Grant(
            role=Role.CONTRIBUTOR,
            user="created_by",
            where={"review_status": ReviewStatus.PROPOSED},
        ),
    ),
}

ORGANISATIONS: Policy[Organisation] = Policy(Organisation, RECORD_RULES)
INITIATIVES: Policy[Initiative] = Policy(Initiative, RECORD_RULES)
ROLES: RelationPolicy[InitiativeRole] = RelationPolicy(
    InitiativeRole, {"initiative": INITIATIVES, "organisation": ORGANISATIONS}
)
TIES: RelationPolicy[OrganisationTie] = RelationPolicy(
    OrganisationTie, {"source": ORGANISATIONS, "target": ORGANISATIONS}
)

for _policy in (ORGANISATIONS, INITIATIVES, ROLES, TIES):
    register(_policy)
