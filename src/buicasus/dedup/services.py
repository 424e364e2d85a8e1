"""The duplicates review, used by pages, API, CLI and tests alike.

Editors see the pairs that involve an organisation of their countries; deciding a pair (merge or
keep apart) and undoing a merge need editor rights in the country of *each* organisation. Every
operation checks permission first (`PermissionDenied` → 403) and refuses a decision that no
longer applies with `DedupError` (→ a message on the page, 409 in the API).

The mechanics of merging and undoing are in `merging`, the search for candidates in `finding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from buicasus.accounts import permissions
from buicasus.dedup import merging
from buicasus.dedup.finding import RunReport, default_kept, find_duplicates
from buicasus.dedup.merging import DedupError, may_merge
from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.dedup.rows import dependents
from buicasus.registry.models import Organisation
from buicasus.registry.policies import ORGANISATIONS

__all__ = [
    "DedupError",
    "RunReport",
    "comparison",
    "decide",
    "find_duplicates",
    "get_merge",
    "get_pair",
    "may_decide",
    "may_undo",
    "reasons_text",
    "undo_merge",
    "visible_merges",
    "visible_pairs",
]


def editor_countries(user: Any) -> list[str]:
    return permissions.countries_with(user, permissions.Role.EDITOR)


def require_editor(user: Any) -> list[str]:
    """Codes of the countries where `user` is an editor; 403 when there are none."""
    codes = editor_countries(user)
    if not codes:
        raise PermissionDenied
    return codes


# --- reading -------------------------------------------------------------------------------


def visible_pairs(
    user: Any,
    *,
    status: str | None = PairStatus.PENDING,
    country: str | None = None,
    everywhere: bool = False,
) -> QuerySet[CandidatePair]:
    """Pairs with an organisation in one of the user's editor countries (`everywhere`: all),
    best score first.

    The joins drop pairs whose organisation no longer exists (merged away or deleted).
    """
    qs = CandidatePair.objects.select_related("a__country", "b__country", "decided_by")
    # Inner joins: pairs naming an organisation that no longer exists drop out.
    qs = qs.filter(a__country__isnull=False, b__country__isnull=False)
    if not everywhere and not permissions.is_platform_admin(user):
        codes = editor_countries(user)
        qs = qs.filter(Q(a__country__code__in=codes) | Q(b__country__code__in=codes))
    if status:
        qs = qs.filter(status=status)
    if country:
        qs = qs.filter(Q(a__country__code=country) | Q(b__country__code=country))
    return qs.order_by("-score", "pk")


def get_pair(user: Any, pk: int) -> CandidatePair:
    """A pair whose two organisations the user may read, else 404 (so hidden records stay
    unknown); whether the user may also decide is `may_decide` (else 403)."""
    pair = visible_pairs(user, status=None, everywhere=True).filter(pk=pk).first()
    if pair is None or not (
        ORGANISATIONS.allows(user, pair.a) and ORGANISATIONS.allows(user, pair.b)
    ):
        raise Http404
    return pair


def pair_to_decide(user: Any, pk: int) -> CandidatePair:
    """`get_pair`, except that a pair merged already is a conflict (`DedupError`), not a 404:
    one of its organisations is gone, but the merge is there to see."""
    try:
        return get_pair(user, pk)
    except Http404:
        record = MergeRecord.objects.filter(pair_id=pk, undone_at__isnull=True).first()
        if record is not None and get_merge(user, record.pk):
            raise DedupError(_("This pair has already been decided.")) from None
        raise


def may_decide(user: Any, pair: CandidatePair) -> bool:
    return may_merge(user, pair.a.country.code, pair.b.country.code)


def visible_merges(user: Any) -> QuerySet[MergeRecord]:
    """Merges touching one of the user's editor countries, newest first."""
    qs = MergeRecord.objects.select_related("merged_by", "undone_by")
    if not permissions.is_platform_admin(user):
        codes = editor_countries(user)
        qs = qs.filter(Q(kept_country__in=codes) | Q(merged_country__in=codes))
    return qs.order_by("-merged_at", "-pk")


def get_merge(user: Any, pk: int) -> MergeRecord:
    """A merge of the user's countries, or one whose kept organisation the user may read
    (undoing it then answers 403); else 404."""
    record = MergeRecord.objects.select_related("merged_by", "undone_by").filter(pk=pk).first()
    if record is None:
        raise Http404
    if visible_merges(user).filter(pk=pk).exists():
        return record
    kept = Organisation.objects.filter(pk=record.kept_id).select_related("country").first()
    if kept is None or not ORGANISATIONS.allows(user, kept):
        raise Http404
    return record


def may_undo(user: Any, record: MergeRecord) -> bool:
    return record.undone_at is None and may_merge(user, record.kept_country, record.merged_country)


# --- deciding ------------------------------------------------------------------------------


def decide(user: Any, pair: CandidatePair, decision: str, keep: int | None = None) -> Any:
    """ "merge" (keeping `keep`, by default the richer record) or "keep_apart" a pending pair.

    Returns the `MergeRecord` of a merge, the pair itself when kept apart.
    """
    if not may_decide(user, pair):
        raise PermissionDenied(_("You may not decide on organisations of these countries."))
    if decision not in {"merge", "keep_apart"}:
        raise DedupError(_("Choose to merge or to keep apart."))
    if pair.status != PairStatus.PENDING:
        raise DedupError(_("This pair has already been decided."))
    if decision == "keep_apart":
        with transaction.atomic():
            updated = CandidatePair.objects.filter(pk=pair.pk, status=PairStatus.PENDING).update(
                status=PairStatus.KEPT_APART, decided_by=user, decided_at=timezone.now()
            )
        if not updated:
            raise DedupError(_("This pair has already been decided."))
        pair.refresh_from_db()
        return pair
    kept = keep if keep is not None else default_kept(pair.a_id, pair.b_id)
    if kept not in (pair.a_id, pair.b_id):
        raise DedupError(_("Choose one of the two organisations to keep."))
    other = pair.b_id if kept == pair.a_id else pair.a_id
    return merging.merge(user, kept, other, pair=pair)


def undo_merge(user: Any, record: MergeRecord) -> MergeRecord:
    if not may_merge(user, record.kept_country, record.merged_country):
        raise PermissionDenied(_("You may not undo merges of these countries."))
    return merging.undo(user, record)


# --- showing a pair ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    a: str
    b: str

    @property
    def differs(self) -> bool:
        return self.a.strip().casefold() != self.b.strip().casefold()


def _identifiers(org: Organisation) -> str:
    return "; ".join(f"{i.scheme.code}: {i.value}" for i in org.identifiers.all())


def _text(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _related(org: Organisation) -> list[tuple[str, str]]:
    """Rows of other apps pointing at the organisation: the importer's source records, shown by
    source ("dsi4eu-2017 (2)"), or any other kind by count."""
    shown = []
    for model, fk in dependents(Organisation, merging.REGISTRY_LINKS):
        rows = model._default_manager.filter(**{fk.attname: org.pk})
        names = {f.name for f in model._meta.concrete_fields}
        if "source_name" in names:
            counts = rows.values_list("source_name").annotate(n=Count("pk")).order_by("source_name")
            text = "; ".join(f"{name} ({n})" for name, n in counts)
        else:
            text = str(rows.count())
        shown.append((str(model._meta.verbose_name_plural), text))
    return shown


_FIELDS = (
    ("name", gettext_lazy("Name")),
    ("other_names", gettext_lazy("Other names")),
    ("actor_type", gettext_lazy("Actor type")),
    ("legal_form", gettext_lazy("Legal form")),
    ("country", gettext_lazy("Country")),
    ("region", gettext_lazy("Region")),
    ("city", gettext_lazy("City")),
    ("website", gettext_lazy("Website")),
    ("founding_year", gettext_lazy("Founding year")),
    ("description", gettext_lazy("Description")),
    ("source_name", gettext_lazy("Source")),
    ("source_record_id", gettext_lazy("Source record id")),
)


def comparison(pair: CandidatePair) -> list[Row]:
    """The two organisations field by field, for the side-by-side page."""
    a, b = (
        Organisation.objects.select_related("country", "region", "actor_type")
        .prefetch_related("identifiers__scheme")
        .get(pk=pk)
        for pk in (pair.a_id, pair.b_id)
    )
    rows = [Row(str(label), _text(getattr(a, f)), _text(getattr(b, f))) for f, label in _FIELDS]
    rows.insert(4, Row(_("National identifiers"), _identifiers(a), _identifiers(b)))
    rows.append(Row(_("Coordinates"), _coords(a), _coords(b)))
    rows.append(
        Row(
            _("Roles in initiatives"),
            str(a.initiative_roles.count()),
            str(b.initiative_roles.count()),
        )
    )
    ties = _("Ties with other organisations")
    rows.append(Row(ties, str(_ties(a)), str(_ties(b))))
    for (label, text_a), (_label, text_b) in zip(_related(a), _related(b), strict=True):
        rows.append(Row(label.capitalize(), text_a, text_b))
    return rows


def _coords(org: Organisation) -> str:
    return "" if org.latitude is None else f"{org.latitude}, {org.longitude}"


def _ties(org: Organisation) -> int:
    return org.ties_out.count() + org.ties_in.count()


REASON_LABELS = {
    "name": gettext_lazy("name"),
    "city": gettext_lazy("city"),
    "region": gettext_lazy("region"),
    "legal_form": gettext_lazy("legal form"),
    "country": gettext_lazy("country"),
}


def reasons_text(pair: CandidatePair) -> dict[str, Any]:
    """The reasons of a pair in words: rule, what agreed, what differed."""
    reasons = pair.reasons or {}

    def words(keys: list[str]) -> list[str]:
        return [str(REASON_LABELS.get(k, k)) for k in keys]

    return {
        "rule": pair.get_rule_display(),
        "agreed": words(reasons.get("agreed", [])),
        "differed": words(reasons.get("differed", [])),
        "identifier": reasons.get("identifier", ""),
        "name_score": reasons.get("name_score"),
        "place_unknown": reasons.get("place") == "unknown",
        "certain": reasons.get("decision") == "certain",
    }
