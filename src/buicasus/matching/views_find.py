"""Pages of "Find solutions for a need": the search, re-ranking by weights (htmx), saved searches.

The retrieval runs once per search; its explained hits stay in the session (or in a saved
search), and changing the weights re-ranks them on the server without searching again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.accounts.models import Role
from buicasus.core import transferability as tr
from buicasus.matching import finding, presenting, services, transfer
from buicasus.matching.forms import FindForm
from buicasus.matching.models import Need, SavedSearch
from buicasus.web.htmx import is_htmx, vary_on_htmx


def weights_from(data: Any) -> dict[str, float]:
    """Weights from the form inputs `w_<component>`; `NeedInvalid` when unusable."""
    return finding.parse_weights({k: data.get(f"w_{k}", "0") for k in tr.COMPONENTS})


def results_context(
    request: HttpRequest,
    payload: dict[str, Any],
    weights: dict[str, float],
    *,
    token: str = "",
    saved: SavedSearch | None = None,
) -> dict[str, Any]:
    """What the results partials need: ranked rows, weights, recommendations, notices."""
    user = request.user
    need_id = payload.get("need")
    need = Need.objects.select_related("country").filter(pk=need_id).first() if need_id else None
    if need is not None and not services.can_view(user, need):
        need = None
    matches = transfer.ranked(user, payload, weights)
    return {
        "payload": payload,
        "rows": presenting.rows(
            matches,
            need.pk if need else None,
            with_pilots=bool(getattr(user, "is_authenticated", False)),
        ),
        "weights": presenting.weights_for_form(weights),
        "token": token,
        "saved": saved,
        "need": need,
        "recommendations": list(services.recommendations_for(user, need)) if need else [],
        "notice": payload.get("notice"),
        "language": payload.get("language"),
        "searched_at": transfer.searched_at(payload),
    }


def _home_country(request: HttpRequest) -> str:
    """The session's country, else the user's only country: where a solution would go."""
    chosen = request.session.get("country", "")
    if chosen:
        return str(chosen)
    codes = permissions.countries_with(request.user, Role.VIEWER)
    is_admin = permissions.is_platform_admin(request.user)
    return codes[0] if len(codes) == 1 and not is_admin else ""


def find(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: search, then show the ranked matches with their breakdown."""
    if request.method != "POST":
        initial = {"country": _home_country(request)}
        return render(
            request,
            "matching/find.html",
            {"form": FindForm(initial=initial), "needs": services.visible_needs(request.user)[:20]},
        )
    form = FindForm(request.POST)
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(request, "matching/find.html", context, status=422)
    data = form.cleaned_data
    req = finding.SearchRequest(
        text=data["text"],
        target=transfer.Target(
            country=data["country"] or None,
            region=data["region"] or None,
            types=tuple(data["legal_forms"]),
            budget=float(data["budget"]) if data["budget"] is not None else None,
        ),
        countries=tuple(data["countries"]),
        evidence_levels=tuple(data["evidence_levels"]),
    )
    try:
        payload = finding.search(request.user, req)
    except services.NeedInvalid as exc:
        for name, errors in exc.errors.items():
            form.add_error(name if name in form.fields else None, errors)
        return render(request, "matching/find.html", context, status=422)
    token = finding.remember(request.session, payload)
    context.update(results_context(request, payload, finding.default_weights(), token=token))
    return render(request, "matching/find.html", context)


def need_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """Search for a stated need (its text, place and constraints)."""
    need = need_or_404(request.user, pk)
    payload = finding.search(request.user, finding.request_for_need(need))
    token = finding.remember(request.session, payload)
    context = results_context(request, payload, finding.default_weights(), token=token)
    return render(request, "matching/find.html", context)


def need_or_404(user: Any, pk: int) -> Need:
    try:
        return services.get_need(user, pk)
    except Need.DoesNotExist as exc:
        raise Http404 from exc


def _ranking(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    template = "matching/partials/ranking.html" if is_htmx(request) else "matching/find.html"
    return vary_on_htmx(render(request, template, context, status=context.pop("status", 200)))


@require_POST
def rerank(request: HttpRequest) -> HttpResponse:
    """New weights → the same hits in a new order (no new retrieval)."""
    token = request.POST.get("token", "")
    payload = finding.recall(request.session, token)
    if payload is None:
        messages.error(request, _("This search has expired; please search again."))
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("matching:find")
            return response
        return HttpResponseRedirect(reverse("matching:find"))
    try:
        weights = weights_from(request.POST)
    except services.NeedInvalid as exc:
        context = results_context(request, payload, finding.default_weights(), token=token)
        context.update(weights_error=exc.errors["weights"][0], status=422)
        return _ranking(request, context)
    return _ranking(request, results_context(request, payload, weights, token=token))


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    payload = finding.recall(request.session, request.POST.get("token", ""))
    if payload is None:
        messages.error(request, _("This search has expired; please search again."))
        return HttpResponseRedirect(reverse("matching:find"))
    try:
        weights = weights_from(request.POST)
        saved = finding.save_search(request.user, payload, weights, request.POST.get("name", ""))
    except services.NeedInvalid as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        context = results_context(
            request, payload, finding.default_weights(), token=request.POST.get("token", "")
        )
        return render(request, "matching/find.html", context, status=422)
    messages.success(request, _("The search was saved."))
    return HttpResponseRedirect(saved_url(saved))


def saved_url(saved: SavedSearch) -> str:
    return reverse("matching:saved-detail", args=[saved.pk])


def _saved_or_404(user: Any, pk: int) -> SavedSearch:
    try:
        return finding.get_saved(user, pk)
    except SavedSearch.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def saved_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "matching/saved_list.html", {"searches": finding.saved_searches(request.user)}
    )


@login_required
def saved_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the saved ranking. POST (weights): re-rank and keep the new weights."""
    saved = _saved_or_404(request.user, pk)
    weights = dict(saved.weights) or finding.default_weights()
    if request.method == "POST":
        try:
            weights = weights_from(request.POST)
        except services.NeedInvalid as exc:
            context = results_context(request, saved.results, weights, saved=saved)
            context.update(weights_error=exc.errors["weights"][0], status=422)
            return _ranking(request, context)
        finding.update_weights(request.user, saved, weights)
    context = results_context(request, saved.results, weights, saved=saved)
    if request.method == "POST":
        return _ranking(request, context)
    return render(request, "matching/find.html", context)


@login_required
@require_POST
def saved_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _saved_or_404(request.user, pk)
    finding.refresh_saved(request.user, saved)
    messages.success(request, _("The search was run again."))
    return HttpResponseRedirect(saved_url(saved))


@login_required
@require_POST
def saved_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _saved_or_404(request.user, pk)
    finding.delete_saved(request.user, saved)
    messages.success(request, _("The saved search was deleted."))
    return HttpResponseRedirect(reverse("matching:saved-list"))
