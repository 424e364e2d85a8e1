"""Account pages: the user's API tokens, and a coordinator's members of a country."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buicasus.accounts import permissions, services
from buicasus.accounts.forms import GrantRoleForm, TokenForm
from buicasus.accounts.models import ApiToken, Membership
from buicasus.reference.models import Country


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List, create and revoke the user's API tokens; a new token is shown once, here."""
    raw = ""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "raw_token": raw}
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("account-tokens"))


def _managed_country(request: HttpRequest, wanted: str) -> tuple[str, list[str]]:
    """The country whose members are shown, among those the user coordinates (else 403)."""
    codes = permissions.countries_with(request.user, permissions.Role.COORDINATOR)
    if not codes:
        raise PermissionDenied
    wanted = wanted.strip().upper()
    if wanted and wanted not in codes:
        raise PermissionDenied
    session_country = request.session.get("country", "")
    if not wanted:
        wanted = session_country if session_country in codes else codes[0]
    return wanted, codes


def _users_url(code: str) -> str:
    return f"{reverse('account-users')}?{urlencode({'country': code})}"


@login_required
def users(request: HttpRequest) -> HttpResponse:
    """A coordinator's view of a country's members, with grant and revoke."""
    source = request.POST if request.method == "POST" else request.GET
    code, codes = _managed_country(request, source.get("country", ""))
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership, created = form.save(request.user, code)
        if created:
            note = _("User “%(user)s” was created and made %(role)s in %(country)s.")
        else:
            note = _("User “%(user)s” was made %(role)s in %(country)s.")
        messages.success(
            request,
            note
            % {
                "user": membership.user.username,
                "role": membership.get_role_display(),
                "country": membership.country.name() if membership.country else "",
            },
        )
        return HttpResponseRedirect(_users_url(code))
    context = {
        "country": Country.objects.get(code=code),
        "countries": Country.objects.filter(code__in=codes),
        "members": services.country_members(code),
        "form": form,
    }
    return render(request, "accounts/users.html", context)


@login_required
@require_POST
def revoke_membership(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user", "country"), pk=pk)
    services.revoke_role(request.user, membership)
    messages.success(
        request,
        _("%(role)s role of “%(user)s” was revoked.")
        % {"role": membership.get_role_display(), "user": membership.user.username},
    )
    code = membership.country.code if membership.country else ""
    return HttpResponseRedirect(_users_url(code))
