"""The review queue: editors approve or reject contributors' proposals; contributors follow
the status of their own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.registry import services
from buicasus.registry.models import Initiative, Organisation
from buicasus.registry.views import require_contributor, viewable

_KINDS: dict[str, type[Organisation] | type[Initiative]] = {
    "organisation": Organisation,
    "initiative": Initiative,
}


def _own(model: type[Any], user: Any) -> QuerySet[Any]:
    """Records the user created where they are not an editor: their proposals."""
    editor_in = permissions.countries_with(user, permissions.Role.EDITOR)
    return (
        model.objects.filter(created_by=user)
        .exclude(country__code__in=editor_in)
        .select_related("country")
        .order_by("-updated_at")
    )


@login_required
def proposals(request: HttpRequest) -> HttpResponse:
    require_contributor(request.user)
    queue = services.proposals(request.user)
    context = {
        "queue": queue,
        "queue_size": len(queue["organisations"]) + len(queue["initiatives"]),
        "reviewer": bool(permissions.countries_with(request.user, permissions.Role.EDITOR)),
        "own_organisations": _own(Organisation, request.user),
        "own_initiatives": _own(Initiative, request.user),
    }
    return render(request, "registry/proposals.html", context)


@login_required
@require_POST
def review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = _KINDS.get(kind)
    if model is None:
        raise Http404
    record = viewable(request.user, model, pk)
    decision = request.POST.get("decision")
    if decision not in {"approve", "reject"}:
        messages.error(request, _("Choose to approve or to reject."))
        return HttpResponseRedirect(reverse("registry:proposals"))
    approve = decision == "approve"
    services.review(
        request.user,
        record,
        approve=approve,
        note=request.POST.get("note", "").strip(),
        publish=approve and request.POST.get("publish") == "on",
    )
    if approve:
        messages.success(request, _("“%(name)s” was approved.") % {"name": record})
    else:
        messages.success(request, _("“%(name)s” was rejected.") % {"name": record})
    return HttpResponseRedirect(reverse("registry:proposals"))
