"""Registry operations used by pages, API, CLI and tests alike.

Each operation checks permission first (raising `PermissionDenied`, which pages and API turn
into 403), then writes inside one transaction, so a refusal or an error leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet

from buicasus.accounts import permissions
from buicasus.accounts.current_user import acting_as
from buicasus.accounts.policy import policy_for
from buicasus.core import vocabulary_fields as vf
from buicasus.reference.models import Country
from buicasus.registry.forms import (
    InitiativeForm,
    InitiativeRoleForm,
    OrganisationForm,
    OrganisationTieForm,
)
from buicasus.registry.models import (
    AuditEntry,
    AuditLink,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationTie,
    ReviewStatus,
)
from buicasus.registry.policies import INITIATIVES, ORGANISATIONS, ROLES, TIES

RecordForm = OrganisationForm | InitiativeForm


# --- reading -------------------------------------------------------------------------------


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    return ORGANISATIONS.queryset(user).select_related("country", "actor_type", "region")


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    return INITIATIVES.queryset(user).select_related("country", "stage", "evidence_level")


def filter_organisations(
    qs: QuerySet[Organisation], params: dict[str, Any]
) -> QuerySet[Organisation]:
    """Apply list filters given by code: q, country, actor_type, published, review_status."""
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(description__icontains=q))
    if params.get("country"):
        qs = qs.filter(country__code=params["country"])
    if params.get("region"):
        # NUTS codes nest by prefix: FR1 contains FR10, which contains FR101.
        qs = qs.filter(region__code__startswith=params["region"])
    if params.get("actor_type"):
        qs = qs.filter(actor_type__code=params["actor_type"])
    if params.get("published") in {"true", "false", True, False}:
        qs = qs.filter(published=params["published"] in {"true", True})
    if params.get("review_status"):
        qs = qs.filter(review_status=params["review_status"])
    return qs


def filter_initiatives(qs: QuerySet[Initiative], params: dict[str, Any]) -> QuerySet[Initiative]:
    """Apply list filters given by code: q, country, stage, evidence_level, policy_field, sdg …"""
    if params.get("q"):
        q = params["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if params.get("country"):
        qs = qs.filter(country__code=params["country"])
    if params.get("region"):
        qs = qs.filter(regions__code__startswith=params["region"]).distinct()
    for key, term_field in vf.filters(vf.INITIATIVE).items():
        if params.get(key):
            qs = qs.filter(**{f"{term_field.name}__code": params[key]})
            qs = qs.distinct() if term_field.many else qs
    if params.get("published") in {"true", "false", True, False}:
        qs = qs.filter(published=params["published"] in {"true", True})
    if params.get("review_status"):
        qs = qs.filter(review_status=params["review_status"])
    return qs


def dashboard_counts(user: Any) -> dict[str, Any]:
    """Counts of visible actors and initiatives by country and actor type, for the home page."""
    orgs = visible_organisations(user)
    inits = visible_initiatives(user)
    by_country = []
    org_counts = dict(orgs.values_list("country__code").annotate(n=Count("id")))
    init_counts = dict(inits.values_list("country__code").annotate(n=Count("id")))
    for country in Country.objects.all():
        if not (org_counts.get(country.code) or init_counts.get(country.code)):
            continue  # dozens of countries are known; list those that hold records
        by_country.append(
            {
                "country": country,
                "organisations": org_counts.get(country.code, 0),
                "initiatives": init_counts.get(country.code, 0),
            }
        )
    by_type = (
        orgs.values("actor_type__code", "actor_type__labels")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_type__code")
    )
    return {
        "by_country": by_country,
        "by_actor_type": list(by_type),
        "organisations": orgs.count(),
        "initiatives": inits.count(),
    }


def history(record: Model) -> QuerySet[AuditEntry]:
    """The record's own audit entries and those of its dependent rows, newest first."""
    model, pk = record._meta.model_name, str(record.pk)
    linked = AuditLink.objects.filter(model=model, object_id=pk).values("entry_id")
    return (
        AuditEntry.objects.filter(Q(model=model, object_id=pk) | Q(pk__in=linked))
        .select_related("user")
        .order_by("-at", "-id")
    )


def proposals(user: Any) -> dict[str, list[Any]]:
    """Records awaiting review in the countries where `user` may approve."""
    codes = permissions.countries_with(user, permissions.Role.EDITOR)
    pending = {"country__code__in": codes, "review_status": ReviewStatus.PROPOSED}
    return {
        "organisations": list(Organisation.objects.filter(**pending).select_related("country")),
        "initiatives": list(Initiative.objects.filter(**pending).select_related("country")),
    }


# --- writing -------------------------------------------------------------------------------


def _require_country(user: Any, country: Country, *, existing: Model | None = None) -> bool:
    """Check the user may write a record in `country`; True when it goes straight in."""
    if permissions.can_edit(user, country.code):
        return True
    if permissions.can_propose(user, country.code) and (
        existing is None or policy_for(existing).allows(user, existing, "change")
    ):
        return False
    raise PermissionDenied


def save_record(user: Any, form: RecordForm) -> Organisation | Initiative:
    """Create or update an organisation or initiative from a validated form.

    Editors' records go straight in; a contributor's become proposals awaiting review and stay
    unpublished until an editor approves them.
    """
    if not form.is_valid():
        raise ValueError("save_record needs a valid form")
    existing = form.instance if form.instance.pk else None
    if existing is not None:
        original = type(existing).objects.select_related("country").get(pk=existing.pk)
        if not policy_for(original).allows(user, original, "change"):
            raise PermissionDenied
    direct = _require_country(user, form.cleaned_data["country"], existing=existing)
    # One transaction: the change event reaches search and embeddings once, after it commits.
    with transaction.atomic(), acting_as(user):
        record = form.save(commit=False)
        form.apply_translations(record)
        if not direct:
            record.review_status = ReviewStatus.PROPOSED
            record.published = False
        record.save()
        form.save_m2m()
        form.save_related(record)
    return record


def delete_record(user: Any, record: Model) -> None:
    if not policy_for(record).allows(user, record, "manage"):
        raise PermissionDenied
    with transaction.atomic(), acting_as(user):
        record.delete()


def review(
    user: Any,
    record: Organisation | Initiative,
    *,
    approve: bool,
    note: str = "",
    publish: bool = False,
) -> None:
    """An editor approves (optionally publishing) or rejects a contributor's proposal."""
    if not policy_for(record).allows(user, record, "manage"):
        raise PermissionDenied
    with transaction.atomic(), acting_as(user):
        record.review_status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        record.review_note = note
        record.published = bool(approve and publish)
        record.save()


def save_relationship(user: Any, form: InitiativeRoleForm | OrganisationTieForm) -> Model:
    """Relationships belong to the initiative's country (roles) or the source's (ties)."""
    if not form.is_valid():
        raise ValueError("save_relationship needs a valid form")
    policy = policy_for(form.instance)
    if form.instance.pk and not policy.allows(
        user, type(form.instance).objects.get(pk=form.instance.pk), "manage"
    ):
        raise PermissionDenied
    if not policy.allows(user, form.instance, "manage"):
        raise PermissionDenied
    with transaction.atomic(), acting_as(user):
        return form.save()


def visible_roles(user: Any) -> QuerySet[InitiativeRole]:
    return ROLES.queryset(user).select_related("organisation", "initiative", "role")


def visible_ties(user: Any) -> QuerySet[OrganisationTie]:
    return TIES.queryset(user).select_related("source", "target", "tie_type")
