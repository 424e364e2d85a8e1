"""A search outcome made readable: records with highlighted titles and snippets, facet values
with labels in the reader's language, and notices in words. Page and API both show this.

Highlighting escapes the stored text first and only then wraps the matched words in `<mark>`,
so a record's content can never inject markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from buicasus.core.multilingual import pick_text
from buicasus.core.search_query import MAX_CLAUSES, ParsedQuery, Segment, highlight, snippet
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Initiative, Organisation, Term
from buicasus.search.facets import ORDER, TAGS, VOCABULARIES
from buicasus.search.models import KIND_NAMES, SearchDocument
from buicasus.search.params import MAX_WINDOW, SearchParams
from buicasus.search.services import Outcome, search

FACET_LABELS = {
    "kind": gettext_lazy("Type of record"),
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    "actor_type": gettext_lazy("Actor type"),
    "policy_field": gettext_lazy("Policy field"),
    "stage": gettext_lazy("Stage"),
    "evidence_level": gettext_lazy("Evidence level"),
    "sdg": gettext_lazy("Sustainable Development Goal"),
    "esf_objective": gettext_lazy("ESF+ specific objective"),
    "fund": gettext_lazy("Fund"),
    "language": gettext_lazy("Language of the content"),
}
KIND_LABELS = {
    "organisation": gettext_lazy("Organisations"),
    "initiative": gettext_lazy("Initiatives"),
}
KIND_SINGULAR = {
    "organisation": gettext_lazy("Organisation"),
    "initiative": gettext_lazy("Initiative"),
}
MAX_REGION_VALUES = 30
MAX_PLACES = 3  # regions named beside a result; more are summed up as "…"


@dataclass(frozen=True)
class Hit:
    kind: str
    kind_label: str
    id: int
    title: str
    title_html: SafeString
    snippet_html: SafeString
    url: str
    country: str
    country_name: str
    category: str
    published: bool
    review_status: str
    status_label: str
    # Place, funding and dates: what tells apart records of one title (many ESF operations
    # of one programme share theirs).
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchPage:
    """Everything a results page or API answer shows."""

    params: SearchParams
    total: int
    pages: int
    hits: list[Hit]
    facets: list[Facet]
    regions: list[FacetValue]  # the levels above the selected region, for going back up
    notices: list[str]
    # No record matched every word: these match `matched_words` of the query's `query_words`.
    partial: bool = False
    matched_words: int = 0
    query_words: int = 0

    @property
    def page(self) -> int:
        return self.params.page


def _html(segments: Iterable[Segment]) -> SafeString:
    """Escape, then mark: `<mark>` is the only markup in the result."""
    parts = (f"<mark>{escape(text)}</mark>" if hit else str(escape(text)) for text, hit in segments)
    return mark_safe("".join(parts))  # every piece was escaped above


def _snippet(record: Any, query: ParsedQuery, language: str) -> SafeString:
    """The passage to show: the first text in which the query matches, in the reader's
    language when it matches there, else the description as shown."""
    translations = record.translations if isinstance(record.translations, dict) else {}
    shown = pick_text(
        record.description or "",
        record.description_language or "",
        translations,
        "description",
        language,
    ).text
    if not query.empty:
        candidates = [shown, record.description or ""]
        candidates += [
            str(v.get("description", "")) for v in translations.values() if isinstance(v, dict)
        ]
        names = getattr(record, "other_names", None)
        if isinstance(names, list) and names:
            candidates.append(" · ".join(str(n) for n in names))
        candidates += [
            str(v.get("title", "")) for v in translations.values() if isinstance(v, dict)
        ]
        for text in candidates:
            segments, hits = snippet(text, query)
            if hits:
                return _html(segments)
    return _html(snippet(shown, ParsedQuery())[0])


def _dates(start: Any, end: Any) -> str:
    if start and end:
        return _("%(start)s – %(end)s") % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
    if start:
        return _("from %(date)s") % {"date": date_format(start, "SHORT_DATE_FORMAT")}
    if end:
        return _("until %(date)s") % {"date": date_format(end, "SHORT_DATE_FORMAT")}
    return ""


def _places(regions: list[NutsRegion]) -> str:
    """The most precise of the regions (an ancestor of another one adds nothing)."""
    codes = {r.code for r in regions}
    finest = sorted(
        (r for r in regions if not any(c != r.code and c.startswith(r.code) for c in codes)),
        key=lambda r: r.code,
    )
    names = [r.name for r in finest[:MAX_PLACES]]
    return ", ".join(names) + (", …" if len(finest) > MAX_PLACES else "")


def _details(record: Any) -> list[str]:
    """Place, funding sources and dates of a record, those it has, in that order."""
    if isinstance(record, Organisation):
        place = ", ".join(
            p for p in (record.city, record.region.name if record.region else "") if p
        )
        return [place] if place else []
    funds = sorted({f.source.label() for f in record.fundings.all()})
    found = [
        _places(list(record.regions.all())),
        ", ".join(funds),
        _dates(record.start_date, record.end_date),
    ]
    return [text for text in found if text]


def _hits(doc_ids: list[int], query: ParsedQuery) -> list[Hit]:
    if not doc_ids:
        return []
    rows = SearchDocument.objects.filter(id__in=doc_ids).values_list("id", "kind", "record_id")
    where = {int(d): (KIND_NAMES[int(k)], int(r)) for d, k, r in rows}
    wanted = {kind: [r for k, r in where.values() if k == kind] for kind in KIND_NAMES.values()}
    records: dict[tuple[str, int], Any] = {}
    orgs = Organisation.objects.filter(pk__in=wanted["organisation"])
    for org in orgs.select_related("country", "actor_type", "region"):
        records[("organisation", org.pk)] = org
    inits = Initiative.objects.filter(pk__in=wanted["initiative"])
    inits = inits.prefetch_related("regions", "fundings__source")
    for init in inits.select_related("country", "stage"):
        records[("initiative", init.pk)] = init
    language = get_language() or "en"
    hits = []
    for doc_id in doc_ids:
        record = records.get(where.get(doc_id, ("", 0)))
        if record is None:
            continue  # deleted since the page was counted
        if isinstance(record, Organisation):
            title = record.name
            category = record.actor_type.label() if record.actor_type else ""
        else:
            translations = record.translations if isinstance(record.translations, dict) else {}
            title = pick_text(
                record.title, record.description_language or "", translations, "title", language
            ).text
            category = record.stage.label() if record.stage else ""
        hits.append(
            Hit(
                kind=where[doc_id][0],
                kind_label=str(KIND_SINGULAR[where[doc_id][0]]),
                id=record.pk,
                title=title,
                title_html=_html(highlight(title, query)),
                snippet_html=_snippet(record, query, language),
                url=record.get_absolute_url(),
                country=record.country.code,
                country_name=record.country.name(),
                category=category,
                published=record.published,
                review_status=record.review_status,
                status_label=str(record.get_review_status_display()),
                details=_details(record),
            )
        )
    return hits


def _labels(outcome: Outcome) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {name: {} for name in ORDER}
    labels["kind"] = {k: str(v) for k, v in KIND_LABELS.items()}
    labels["country"] = {c.code: c.name() for c in Country.objects.all()}
    by_vocabulary = {key: name for name, key in VOCABULARIES.items()}
    terms = Term.objects.filter(vocabulary__key__in=VOCABULARIES.values())
    for term in terms.select_related("vocabulary"):
        labels[by_vocabulary[term.vocabulary.key]][term.code] = term.label()
    for code in outcome.counts.by_facet["language"]:
        try:
            labels["language"][code] = str(get_language_info(code)["name_translated"])
        except KeyError:
            labels["language"][code] = code
    return labels


def _counted(outcome: Outcome, name: str) -> dict[str, int]:
    if name in TAGS:
        return outcome.tags.get(name, {})
    return dict(outcome.counts.by_facet[name])


def _facets(outcome: Outcome) -> list[Facet]:
    labels = _labels(outcome)
    region, trail = _regions(outcome)
    facets = []
    for name in ORDER:
        if name == "region":
            if region is not None:
                facets.append(region)
            continue
        counted = _counted(outcome, name)
        selected = outcome.params.filters.get(name, frozenset())
        values = [
            FacetValue(code, labels[name].get(code, code), counted.get(code, 0), code in selected)
            for code in set(counted) | set(selected)
        ]
        values.sort(key=lambda v: (-v.count, v.label.casefold(), v.code))
        if any(v.count or v.selected for v in values):
            facets.append(Facet(name, str(FACET_LABELS[name]), values))
    return facets


def _regions(outcome: Outcome) -> tuple[Facet | None, list[FacetValue]]:
    """Sub-regions of the selected region (or NUTS 1), and the path down to the selected one."""
    selected = outcome.params.region
    path = [selected[:n] for n in range(3, len(selected) + 1)] if selected else []
    counted = outcome.tags.get("region", {})
    top = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:MAX_REGION_VALUES]
    wanted = [code for code, _n in top] + path
    names = dict(NutsRegion.objects.filter(code__in=wanted).values_list("code", "name"))
    values = [FacetValue(code, names.get(code, code), n, False) for code, n in top]
    trail = [FacetValue(code, names.get(code, code), 0, code == selected) for code in path]
    facet = Facet("region", str(FACET_LABELS["region"]), values) if values or trail else None
    return facet, trail


def notice_text(code: str) -> str:
    texts = {
        "unbalanced_quote": _("A quotation mark was not closed; the phrase runs to the end."),
        "lone_wildcard": _("A * must end the beginning of a word (innov*); a lone * was ignored."),
        "short_prefix": _("A * needs at least three letters before it; it was ignored."),
        "too_many_terms": ngettext(
            "Only the first %(n)d word or phrase was used.",
            "Only the first %(n)d words and phrases were used.",
            MAX_CLAUSES,
        )
        % {"n": MAX_CLAUSES},
        "too_long": _("The search text was shortened."),
        "no_terms": _("There was nothing to search for in the text; showing all records."),
        "beyond_window": _(
            "Only the first %(n)s results can be paged through; please narrow the search."
        )
        % {"n": f"{MAX_WINDOW:,}"},
    }
    return texts.get(code, code)


def partial_notice(matched: int, words: int) -> str:
    """Says that the results are partial matches, and how partial."""
    return ngettext(
        "No record contains all %(words)d words or phrases; showing the records that contain "
        "%(matched)d of them.",
        "No record contains all %(words)d words or phrases; showing the records that contain "
        "%(matched)d of them.",
        words,
    ) % {"words": words, "matched": matched}


def search_results(user: Any, params: SearchParams) -> SearchPage:
    """Search as `user` and present the outcome: the one function pages and API call."""
    outcome = search(user, params)
    query = outcome.query
    notices = [notice_text(code) for code in outcome.notices]
    if query.partial:
        notices.insert(0, partial_notice(query.minimum, len(query.clauses)))
    return SearchPage(
        params=params,
        total=outcome.total,
        pages=outcome.pages,
        hits=_hits(outcome.doc_ids, outcome.query),
        facets=_facets(outcome),
        regions=_regions(outcome)[1],
        notices=notices,
        partial=query.partial,
        matched_words=query.minimum if query.partial else len(query.clauses),
        query_words=len(query.clauses),
    )
