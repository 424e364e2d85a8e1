"""Analysis pages: a country's indicators, profile and SWOT; comparisons; SWOT edits (htmx).

Thin: parse, check permission, call `services`, render. Scores and the SWOT follow the
assessment app's rule for scores (`profiles.can_see_scores`); registry indicators count
published records and are public; SWOT edits need `can_edit` for the country.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buicasus.accounts import permissions
from buicasus.analysis import figures, profiles, services, wording
from buicasus.analysis.models import Quadrant
from buicasus.assessment import display
from buicasus.core import vocabulary_fields as vf
from buicasus.network import tasks as network_tasks
from buicasus.reference.models import Country
from buicasus.registry.models import Term
from buicasus.web.htmx import is_htmx, vary_on_htmx

QUADRANT_LABELS = dict(Quadrant.choices)


def _country(code: str) -> Country:
    country = Country.objects.filter(code=code.upper()).first()
    if country is None:
        raise Http404(_("Unknown country."))
    return country


def _lang() -> str:
    return (get_language() or "en")[:2]


BREAKDOWNS: dict[str, tuple[vf.VocabularyField, str, bool]] = {
    # indicator → (the term field counted, detail member, whether the lists filter on it)
    "actors-per-million": (vf.declared(vf.ORGANISATION, "actor_type"), "counts", True),
    "initiatives-by-stage": (vf.declared(vf.INITIATIVE, "stage"), "counts", True),
    "established-evidence": (vf.declared(vf.INITIATIVE, "evidence_level"), "counts", True),
    # The registry lists have no funding filter (only search has one).
    "funding-diversity": (vf.declared(vf.FUNDING, "source"), "counts", False),
}


def _breakdown(indicator: Any) -> list[dict[str, Any]]:
    """The counts behind an indicator, labelled in the reader's language and linked."""
    spec = BREAKDOWNS.get(indicator.code)
    if spec is None:
        return []
    term_field, member, linked = spec
    vocabulary, param = term_field.vocabulary, term_field.param if linked else ""
    counts: dict[str, int] = indicator.detail.get(member) or {}
    terms = {t.code: t for t in Term.objects.filter(vocabulary__key=vocabulary, code__in=counts)}
    rows = []
    for code, count in counts.items():
        url = f"{indicator.evidence_url}&{urlencode({param: code})}" if param else ""
        label = terms[code].label() if code in terms else code
        rows.append({"label": label, "value": count, "url": url})
    unknown = indicator.detail.get("unknown")
    if unknown:
        rows.append({"label": _("not recorded"), "value": unknown, "url": ""})
    return rows


def indicator_rows(indicators: list[Any]) -> list[dict[str, Any]]:
    """Indicators with their value, unit, help and breakdown as the table shows them."""
    return [
        {
            "indicator": i,
            "value": (
                _("being computed")
                if i.detail.get("pending")
                else wording.indicator_text(i.value, i.unit)
            ),
            "unit": wording.UNITS.get(i.unit, ""),
            "help": figures.HELP.get(i.code, ""),
            "breakdown": _breakdown(i),
        }
        for i in indicators
    ]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Countries to analyse, and the comparison form."""
    lang = _lang()
    holding = figures.registry_facts(None)
    scored = profiles.countries_with_scores(request.user) if _reads(request.user) else []
    codes = set(holding) | {c.code for c in scored}
    countries = [c for c in Country.objects.filter(code__in=codes).order_by("code")]
    return render(
        request,
        "analysis/index.html",
        {
            "countries": [(c, c.name(lang), c.code in {s.code for s in scored}) for c in countries],
            "scored": [(c.code, c.name(lang)) for c in scored],
        },
    )


def _reads(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def origin_labels() -> dict[str, str]:
    return {
        "score": _("self-assessment"),
        "indicator": _("registry"),
        "disagreement": _("disagreement between stakeholder groups"),
        "manual": _("added by an editor"),
    }


def swot_context(request: HttpRequest, country: Country, notice: str = "") -> dict[str, Any]:
    table = services.swot(country.code, user=request.user, lang=_lang())
    origins = origin_labels()
    rows = [
        (
            q,
            QUADRANT_LABELS[q],
            [
                {
                    "line": line,
                    "origin_label": origins.get(line.origin, line.origin),
                    "dom_id": "swot-" + slugify(line.key),
                }
                for line in table.quadrants[q]
            ],
        )
        for q in Quadrant.values
    ]
    return {
        "country": country,
        "swot": table,
        "swot_rows": rows,
        "can_edit": permissions.can_edit(request.user, country.code),
        "quadrant_choices": Quadrant.choices,
        "swot_notice": notice,
    }


def _indicators(code: str) -> list[Any]:
    """The registry indicators without computing a network in the request (a worker does)."""
    with network_tasks.reading_stored():
        return services.registry_indicators(code)


@require_GET
def country_page(request: HttpRequest, code: str) -> HttpResponse:
    """Indicators beside the self-assessment radar and dimension table, and the SWOT."""
    country = _country(code)
    lang = _lang()
    context: dict[str, Any] = {
        "country": country,
        "country_name": country.name(lang),
        "indicators": indicator_rows(_indicators(country.code)),
        "sees_scores": profiles.can_see_scores(request.user, country.code),
    }
    if context["sees_scores"]:
        found = profiles.profile(country, request.user)
        labels = profiles.dimension_labels(lang)
        context["profile"] = found
        context["dimension_rows"] = [
            {
                "score": s,
                "label": labels.get(s.dimension, s.dimension),
                "band": display.band_label(s.band),
            }
            for s in found.scores
        ]
        if found.campaign is not None:
            context["radar"] = mark_safe(  # built by core.radar, every text escaped
                services.profile_radar(found, labels, country.name(lang))
            )
        context.update(swot_context(request, country))
    return vary_on_htmx(render(request, "analysis/country.html", context))


@require_GET
def country_radar(request: HttpRequest, code: str) -> HttpResponse:
    """The country's latest profile as a standalone SVG file."""
    country = _country(code)
    found = profiles.profile(country, request.user)
    if found.campaign is None:
        raise Http404(_("No self-assessment scores you may see for this country."))
    svg = services.profile_radar(found, profiles.dimension_labels(_lang()), country.name(_lang()))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="buicasus-profile-{country.code}.svg"'
    return response


def _swot_response(request: HttpRequest, country: Country, notice: str) -> HttpResponse:
    if is_htmx(request):
        context = swot_context(request, country, notice)
        return render(request, "analysis/partials/swot.html", context)
    messages.success(request, notice)
    return HttpResponseRedirect(reverse("analysis:country", args=[country.code]) + "#swot")


def _swot_error(request: HttpRequest, country: Country, exc: ValidationError) -> HttpResponse:
    text = " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    if is_htmx(request):
        context = swot_context(request, country)
        context["swot_error"] = text
        return render(request, "analysis/partials/swot.html", context, status=422)
    messages.error(request, text)
    return HttpResponseRedirect(reverse("analysis:country", args=[country.code]) + "#swot")


def _edit(request: HttpRequest, code: str, action: str, key: str = "") -> HttpResponse:
    country = _country(code)
    if not permissions.can_edit(request.user, country.code):
        raise PermissionDenied
    text = request.POST.get("text", "")
    try:
        if action == "add":
            services.add_line(request.user, country.code, request.POST.get("quadrant", ""), text)
            notice = _("Line added.")
        elif action == "reword":
            services.reword_line(request.user, country.code, key, text)
            notice = _("Line reworded.")
        elif action == "dismiss":
            services.dismiss_line(request.user, country.code, key)
            notice = _("Line dismissed; it can be restored below the table.")
        else:
            services.restore_line(request.user, country.code, key)
            notice = _("Line restored.")
    except ValidationError as exc:
        return _swot_error(request, country, exc)
    return _swot_response(request, country, notice)


@require_POST
def swot_add(request: HttpRequest, code: str) -> HttpResponse:
    return _edit(request, code, "add")


@require_POST
def swot_reword(request: HttpRequest, code: str, key: str) -> HttpResponse:
    return _edit(request, code, "reword", key)


@require_POST
def swot_dismiss(request: HttpRequest, code: str, key: str) -> HttpResponse:
    return _edit(request, code, "dismiss", key)


@require_POST
def swot_restore(request: HttpRequest, code: str, key: str) -> HttpResponse:
    return _edit(request, code, "restore", key)


@require_GET
def swot_history(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Who changed the line, when, and its wording before and after."""
    country = _country(code)
    if not profiles.can_see_scores(request.user, country.code):
        raise PermissionDenied
    entries = services.line_history(country.code, key)
    template = (
        "analysis/partials/swot_history.html" if is_htmx(request) else "analysis/history.html"
    )
    return vary_on_htmx(
        render(request, template, {"country": country, "key": key, "entries": entries})
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Profiles of two or more countries, or two campaigns of one country (`country=`)."""
    lang = _lang()
    context: dict[str, Any] = {
        "selected": [c.upper() for c in request.GET.getlist("countries")],
        "choices": [
            (c.code, c.name(lang))
            for c in (profiles.countries_with_scores(request.user) if _reads(request.user) else [])
        ],
        "readers": _reads(request.user),
    }
    status = 200
    if request.GET.get("country"):
        context["mode"] = "campaigns"
        try:
            change = services.compare_campaigns(
                request.GET["country"],
                _int(request.GET.get("before")),
                _int(request.GET.get("after")),
                user=request.user,
                lang=lang,
            )
        except ValidationError as exc:
            context["error"] = " ".join(m for ms in exc.message_dict.values() for m in ms)
            status = 400
        else:
            context["change"] = change
            if change.after is not None:
                context["radar"] = mark_safe(change.radar(change.country.name(lang)))
    elif context["selected"]:
        context["mode"] = "countries"
        try:
            comparison = services.compare(context["selected"], user=request.user, lang=lang)
        except ValidationError as exc:
            context["error"] = " ".join(m for ms in exc.message_dict.values() for m in ms)
            status = 400
        else:
            context["comparison"] = comparison
            context["table"] = [
                {"row": r, "cells": list(zip(r.values, r.deltas, strict=True))}
                for r in comparison.rows
            ]
            if comparison.series:
                context["radar"] = mark_safe(comparison.radar(_("Self-assessment profiles")))
    return render(request, "analysis/compare.html", context, status=status)
