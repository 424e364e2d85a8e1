"""The pages of one kind of registry record: list with filters, detail, create, edit, delete,
history. Organisations and initiatives are two configurations of `RecordPages`; what differs
between them (templates, messages, what the detail page adds) is declared there, the flow is
written once here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.models import Role
from buicasus.accounts.policy import Policy
from buicasus.registry import services
from buicasus.registry.forms import InitiativeForm, OrganisationForm
from buicasus.registry.models import ReviewStatus
from buicasus.registry.views import (
    can_see_history,
    delete_or_explain,
    initial_country,
    limit_countries,
    require_contributor,
    viewable,
)
from buicasus.registry.views_history import history_rows
from buicasus.web.htmx import page_or_fragment
from buicasus.web.pages import list_data, paginate

RecordForm = OrganisationForm | InitiativeForm
View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class RecordPages:
    """Everything the pages of one record kind need to know about it.

    Templates are `registry/<kind>_list.html`, `registry/partials/<kind>_results.html`,
    `registry/<kind>_detail.html` and `registry/<kind>_form.html`; URLs are named
    `registry:<kind>-list` …; templates find the record under `context_name`.
    """

    kind: str
    context_name: str
    policy: Policy[Any]
    form_class: type[RecordForm]
    filter_form: type[Any]
    visible: Callable[[Any], QuerySet[Any]]
    filtered: Callable[[QuerySet[Any], dict[str, Any]], QuerySet[Any]]
    # The record with everything its detail page shows, loaded in few queries.
    detail_queryset: Callable[[], QuerySet[Any]]
    # What the detail page adds for this kind (relationships, lineage …).
    detail_extra: Callable[[HttpRequest, Any], dict[str, Any]]
    created_message: Promise
    saved_message: Promise
    deleted_message: Promise  # with %(name)s
    label: Promise  # "organisation", for the delete confirmation
    # Adjusts a form for the user (choices they may see); called on every form built.
    prepare_form: Callable[[Any, Any], None] = lambda form, user: None
    # Where a saved record sends the user.
    after_save: Callable[[HttpRequest, Any], str] = lambda request, record: (
        record.get_absolute_url()
    )

    # --- pages ---------------------------------------------------------------------------

    def list_page(self, request: HttpRequest) -> HttpResponse:
        staff = permissions.sees_unpublished(request.user)
        form = self.filter_form(list_data(request), staff=staff)
        qs = self.filtered(self.visible(request.user), form.params())
        context = {"form": form, "page": paginate(request, qs), "staff": staff}
        return page_or_fragment(
            request,
            f"registry/{self.kind}_list.html",
            f"registry/partials/{self.kind}_results.html",
            context,
        )

    def detail_page(self, request: HttpRequest, pk: int) -> HttpResponse:
        viewable(request.user, self.policy.model, pk)
        record = self.detail_queryset().get(pk=pk)
        user = request.user
        context = {
            self.context_name: record,
            "can_change": self.policy.allows(user, record, "change"),
            "can_delete": self.policy.allows(user, record, "manage"),
            "can_history": can_see_history(user, record),
            **self.detail_extra(request, record),
        }
        return render(request, f"registry/{self.kind}_detail.html", context)

    def create_page(self, request: HttpRequest) -> HttpResponse:
        codes = require_contributor(request.user)
        if request.method != "POST":
            form = self._form(request, initial=initial_country(request, codes))
            return self._form_page(request, form, codes)
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._form_page(request, form, codes)
        return self._saved(request, services.save_record(request.user, form), created=True)

    def update_page(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = viewable(request.user, self.policy.model, pk)
        if not self.policy.allows(request.user, record, "change"):
            raise PermissionDenied
        codes = permissions.countries_with(request.user, Role.CONTRIBUTOR)
        if request.method != "POST":
            return self._form_page(request, self._form(request, instance=record), codes)
        form = self._form(request, request.POST, instance=record)
        if not form.is_valid():
            return self._form_page(request, form, codes)
        return self._saved(request, services.save_record(request.user, form), created=False)

    def delete_page(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = viewable(request.user, self.policy.model, pk)
        if not self.policy.allows(request.user, record, "manage"):
            raise PermissionDenied
        if request.method == "POST":
            if not delete_or_explain(request, record):
                return HttpResponseRedirect(record.get_absolute_url())
            messages.success(request, self.deleted_message % {"name": str(record)})
            return HttpResponseRedirect(reverse(f"registry:{self.kind}-list"))
        context = {"record": record, "cancel_url": record.get_absolute_url(), "kind": self.label}
        return render(request, "registry/confirm_delete.html", context)

    def history_page(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = viewable(request.user, self.policy.model, pk)
        if not can_see_history(request.user, record):
            raise PermissionDenied
        context = {"record": record, "title": str(record), "entries": history_rows(record)}
        return render(request, "registry/history.html", context)

    def views(self) -> dict[str, View]:
        """The view functions, by URL action; writing needs a signed-in user."""
        return {
            "list": self.list_page,
            "detail": self.detail_page,
            "create": login_required(self.create_page),
            "update": login_required(self.update_page),
            "delete": login_required(self.delete_page),
            "history": login_required(self.history_page),
        }

    # --- steps ---------------------------------------------------------------------------

    def _form(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        form = self.form_class(*args, **kwargs)
        self.prepare_form(form, request.user)
        return form

    def _form_page(self, request: HttpRequest, form: Any, codes: list[str]) -> HttpResponse:
        limit_countries(form, codes)
        context = {"form": form, self.context_name: form.instance}
        return render(request, f"registry/{self.kind}_form.html", context)

    def _saved(self, request: HttpRequest, record: Any, created: bool) -> HttpResponse:
        if record.review_status == ReviewStatus.PROPOSED:
            messages.success(request, _("Your proposal was saved; an editor will review it."))
        elif created:
            messages.success(request, str(self.created_message))
        else:
            messages.success(request, str(self.saved_message))
        return HttpResponseRedirect(self.after_save(request, record))
