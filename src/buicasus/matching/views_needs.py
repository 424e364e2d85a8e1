"""Pages for needs: list, detail, create/edit/delete, sharing with other countries, human
recommendations, and the notifications page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions
from buicasus.accounts.models import Role
from buicasus.matching import services
from buicasus.matching.forms import NeedForm, RecommendForm, ShareForm, actor_type_choices
from buicasus.matching.models import Need, Recommendation
from buicasus.matching.views_find import need_or_404
from buicasus.registry import services as registry
from buicasus.registry.models import Initiative
from buicasus.registry.views import limit_countries
from buicasus.web.pages import paginate

MAX_OPTIONS = 30


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """Needs of the user's countries, and those other countries shared with them."""
    needs = services.visible_needs(request.user)
    own_codes = permissions.countries_with(request.user, Role.VIEWER)
    context = {
        "own": paginate(request, needs.filter(country__code__in=own_codes)),
        "shared": needs.exclude(country__code__in=own_codes)
        .filter(shares__country__code__in=own_codes)
        .distinct(),
        "can_create": bool(services.need_countries(request.user)),
    }
    return render(request, "matching/need_list.html", context)


def _form_page(request: HttpRequest, form: NeedForm, status: int = 200) -> HttpResponse:
    limit_countries(form, services.need_countries(request.user))
    return render(request, "matching/need_form.html", {"form": form}, status=status)


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    codes = services.need_countries(request.user)
    if not codes:
        raise PermissionDenied(_("Only editors state needs for their country."))
    if request.method != "POST":
        chosen = request.session.get("country", "")
        initial = {"country": chosen if chosen in codes else (codes[0] if len(codes) == 1 else "")}
        return _form_page(request, NeedForm(initial=initial, user=request.user))
    form = NeedForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    need = services.save_need(request.user, form)
    messages.success(request, _("The need was saved."))
    return HttpResponseRedirect(need.get_absolute_url())


@login_required
def need_update(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_or_404(request.user, pk)
    if not services.can_edit(request.user, need):
        raise PermissionDenied(_("You may not change this need."))
    if request.method != "POST":
        return _form_page(request, NeedForm(instance=need, user=request.user))
    form = NeedForm(request.POST, instance=need, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    services.save_need(request.user, form)
    messages.success(request, _("The need was saved."))
    return HttpResponseRedirect(need.get_absolute_url())


@login_required
def need_delete(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_or_404(request.user, pk)
    if not services.can_edit(request.user, need):
        raise PermissionDenied(_("You may not delete this need."))
    if request.method == "POST":
        services.delete_need(request.user, need)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": need.title})
        return HttpResponseRedirect(reverse("matching:need-list"))
    return render(request, "matching/confirm_delete.html", {"need": need})


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_or_404(request.user, pk)
    user = request.user
    need = (
        Need.objects.select_related("country", "region", "organisation", "created_by")
        .prefetch_related("policy_fields", "esf_objectives", "sdgs", "target_groups")
        .get(pk=need.pk)
    )
    can_edit = services.can_edit(user, need)
    recommending = services.recommending_countries(user, need)
    create_url = reverse("registry:initiative-create")
    back = reverse("matching:recommend", args=[need.pk])
    context = {
        "need": need,
        "can_edit": can_edit,
        "shares": need.shares.select_related("country", "shared_by"),
        "share_form": ShareForm(need=need) if can_edit else None,
        "recommendations": services.recommendations_for(user, need),
        "recommending": recommending,
        "recommend_form": RecommendForm() if recommending else None,
        "create_initiative_url": f"{create_url}?{urlencode({'next': back})}",
        "legal_forms": _legal_form_labels(need.legal_forms),
    }
    return render(request, "matching/need_detail.html", context)


def _legal_form_labels(codes: list[str]) -> list[str]:
    labels = dict(actor_type_choices())
    return [labels.get(c, c) for c in codes]


@login_required
@require_POST
def need_share(request: HttpRequest, pk: int) -> HttpResponse:
    need = need_or_404(request.user, pk)
    if not services.can_edit(request.user, need):
        raise PermissionDenied(_("You may not share this need."))
    form = ShareForm(request.POST, need=need)
    if not form.is_valid():
        messages.error(request, _("Choose at least one country to share with."))
        return HttpResponseRedirect(need.get_absolute_url())
    try:
        created = services.share_need(
            request.user, need, form.cleaned_data["countries"], form.cleaned_data["message"]
        )
    except services.NeedInvalid as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        names = ", ".join(s.country.name() for s in created)
        if names:
            messages.success(request, _("Shared with %(names)s.") % {"names": names})
        else:
            messages.info(request, _("It was already shared with these countries."))
    return HttpResponseRedirect(need.get_absolute_url())


@login_required
@require_POST
def need_unshare(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    need = need_or_404(request.user, pk)
    services.unshare_need(request.user, need, code)
    messages.success(request, _("No longer shared with %(code)s.") % {"code": code.upper()})
    return HttpResponseRedirect(need.get_absolute_url())


@login_required
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form (also where one comes back after adding an initiative). POST: save."""
    need = need_or_404(request.user, pk)
    countries = services.recommending_countries(request.user, need)
    if not countries:
        raise PermissionDenied(_("Only editors of a country this need is shared with recommend."))
    initial = {"initiative": request.GET.get("initiative")}
    form = RecommendForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        initiative = Initiative.objects.filter(pk=form.cleaned_data["initiative"]).first()
        try:
            if initiative is None:
                raise services.NeedInvalid({"initiative": [_("No such initiative.")]})
            services.recommend(
                request.user,
                need,
                initiative,
                form.cleaned_data["comment"],
                form.cleaned_data["country"] or "",
            )
        except services.NeedInvalid as exc:
            for name, errors in exc.errors.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("Your recommendation was sent."))
            return HttpResponseRedirect(need.get_absolute_url())
    if request.method == "POST":
        status = 422
    create_url = reverse("registry:initiative-create")
    back = reverse("matching:recommend", args=[need.pk])
    context = {
        "need": need,
        "form": form,
        "countries": countries,
        "create_initiative_url": f"{create_url}?{urlencode({'next': back})}",
        "recent": registry.visible_initiatives(request.user)
        .filter(country__code__in=countries)
        .order_by("-created_at")[:10],
    }
    return render(request, "matching/recommend.html", context, status=status)


@login_required
def initiative_options(request: HttpRequest) -> HttpResponse:
    """htmx: initiatives the user can see whose title matches `q` (for the recommend form)."""
    q = request.GET.get("q", "").strip()
    found = registry.visible_initiatives(request.user).select_related("country")
    if q.isdigit():
        found = found.filter(Q(pk=int(q)) | Q(title__icontains=q))
    elif q:
        found = found.filter(title__icontains=q)
    else:
        found = found.none()
    return render(
        request,
        "matching/partials/initiative_options.html",
        {"initiatives": found.order_by("title")[:MAX_OPTIONS], "q": q},
    )


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.select_related("need", "country"), pk=pk)
    if not services.can_view(request.user, rec.need):
        raise Http404
    services.delete_recommendation(request.user, rec)
    messages.success(request, _("The recommendation was withdrawn."))
    return HttpResponseRedirect(rec.need.get_absolute_url())


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = paginate(request, services.notifications_for(request.user))
    rows: list[dict[str, Any]] = [
        {"note": n, "text": services.notification_text(n)} for n in page.object_list
    ]
    return render(request, "matching/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    services.mark_read(request.user, ids or None)
    return HttpResponseRedirect(reverse("matching:notifications"))
