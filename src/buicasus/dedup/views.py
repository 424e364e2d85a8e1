"""Pages of the duplicates review: the queue, a pair side by side, decisions, merges and undo.

Thin: each view checks who asks, calls `services`, renders. A decision from the queue may come
through htmx, which then gets the pair's row back with the outcome instead of a redirect.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.dedup import services, tasks
from buicasus.dedup.models import CandidatePair, MergeRecord
from buicasus.web.htmx import is_htmx, vary_on_htmx
from buicasus.web.pages import paginate, safe_next


def _with_rights(user: Any, pairs: list[CandidatePair]) -> list[CandidatePair]:
    for pair in pairs:
        pair.can_decide = services.may_decide(user, pair)  # type: ignore[attr-defined]
        pair.why = services.reasons_text(pair)  # type: ignore[attr-defined]
    return pairs


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Pending pairs of the editor's countries, best score first; with `job`, the status of
    the duplicate scan this editor started (or may follow) above them."""
    codes = services.require_editor(request.user)
    country = request.GET.get("country", "")
    country = country if country in codes else ""
    page = paginate(request, services.visible_pairs(request.user, country=country or None))
    _with_rights(request.user, list(page.object_list))
    context = {
        "page": page,
        "countries": codes,
        "country": country,
        "scan_all": tasks.may_scan(request.user, None),
        **_scan_context(request, request.GET.get("job", "")),
    }
    template = "dedup/partials/queue_results.html" if is_htmx(request) else "dedup/queue.html"
    return vary_on_htmx(render(request, template, context))


@login_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_editor(request.user)
    pair = services.get_pair(request.user, pk)
    _with_rights(request.user, [pair])
    context = {
        "pair": pair,
        "rows": services.comparison(pair),
        "suggested": services.default_kept(pair.a_id, pair.b_id),
    }
    return render(request, "dedup/pair.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """POST decision=merge (with keep=<id>) or decision=keep_apart."""
    services.require_editor(request.user)
    try:
        pair = services.pair_to_decide(request.user, pk)
    except services.DedupError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("dedup:merges"))
    keep_raw = request.POST.get("keep", "")
    keep = int(keep_raw) if keep_raw.isdigit() else None
    decision = request.POST.get("decision", "")
    names = {"a": pair.a.name, "b": pair.b.name}
    try:
        result = services.decide(request.user, pair, decision, keep=keep)
    except services.DedupError as exc:
        outcome, level = str(exc), messages.ERROR
    else:
        level = messages.SUCCESS
        if isinstance(result, MergeRecord):
            outcome = _("“%(merged)s” was merged into “%(kept)s”.") % {
                "merged": result.merged_name,
                "kept": result.kept_name,
            }
        else:
            outcome = _("“%(a)s” and “%(b)s” are kept apart.") % names
    if is_htmx(request):
        pair.refresh_from_db()
        context = {"pair": pair, "outcome": outcome, "error": level == messages.ERROR}
        return render(request, "dedup/partials/decided.html", context)
    messages.add_message(request, level, outcome)
    return HttpResponseRedirect(safe_next(request, reverse("dedup:queue")))


@login_required
def merges(request: HttpRequest) -> HttpResponse:
    """Merges of the editor's countries, newest first, each with Undo while it may be undone."""
    services.require_editor(request.user)
    page = paginate(request, services.visible_merges(request.user))
    for record in page.object_list:
        record.can_undo = services.may_undo(request.user, record)
    template = "dedup/partials/merge_results.html" if is_htmx(request) else "dedup/merges.html"
    return vary_on_htmx(render(request, template, {"page": page}))


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_editor(request.user)
    record = services.get_merge(request.user, pk)
    try:
        services.undo_merge(request.user, record)
    except services.DedupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The merge of “%(merged)s” into “%(kept)s” was undone.")
            % {"merged": record.merged_name, "kept": record.kept_name},
        )
    return HttpResponseRedirect(reverse("dedup:merges"))


def _scan_context(request: HttpRequest, job_id: Any) -> dict[str, Any]:
    """The status block of a duplicate scan the reader may follow (none for a bad id)."""
    try:
        job = tasks.visible_scan(request.user, UUID(str(job_id))) if job_id else None
    except ValueError:
        job = None
    if job is None:
        return {"job": None}
    return {
        "job": job,
        "poll_url": reverse("dedup:scan-status", args=[job.pk]),
        "refresh_url": reverse("dedup:queue") + "?" + urlencode({"job": str(job.pk)}),
    }


@login_required
@require_POST
def scan(request: HttpRequest) -> HttpResponse:
    """Look for duplicates in one country (or all, for admins) in the background; the queue
    page follows the scan (with htmx, its status block comes back in place)."""
    services.require_editor(request.user)
    country = request.POST.get("country", "").strip().upper() or None
    try:
        job = tasks.request_scan(request.user, country)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("dedup:queue"))
    context = _scan_context(request, job.pk)
    if is_htmx(request):
        return render(request, "jobs/_status.html", context)
    return HttpResponseRedirect(context["refresh_url"])


@login_required
def scan_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The scan's status block alone, which the queue page polls."""
    services.require_editor(request.user)
    context = _scan_context(request, job_id)
    if context["job"] is None:
        raise Http404
    response = render(request, "jobs/_status.html", context)
    response["Cache-Control"] = "no-store"
    return response
