"""The ecosystem data model: vocabularies, actors, initiatives, relationships (countries and
regions are in `buicasus.reference`)."""

from buicasus.registry.models.actors import Organisation, OrganisationIdentifier, SizeBand
from buicasus.registry.models.audit import AuditAction, AuditEntry, AuditLink
from buicasus.registry.models.initiatives import Funding, Initiative
from buicasus.registry.models.provenance import ReviewStatus
from buicasus.registry.models.relationships import InitiativeRole, OrganisationTie
from buicasus.registry.models.vocabulary import Term, Vocabulary, label_in

__all__ = [
    "AuditAction",
    "AuditEntry",
    "AuditLink",
    "Funding",
    "Initiative",
    "InitiativeRole",
    "Organisation",
    "OrganisationIdentifier",
    "OrganisationTie",
    "ReviewStatus",
    "SizeBand",
    "Term",
    "Vocabulary",
    "label_in",
]
