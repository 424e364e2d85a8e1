"""Organisation pages: list with filters, detail, create, edit, delete, history (the flow is
`views_records.RecordPages`; this module says what is particular to organisations)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from buicasus.registry import services
from buicasus.registry.forms import OrganisationForm
from buicasus.registry.models import Organisation
from buicasus.registry.policies import ORGANISATIONS
from buicasus.registry.views_filters import OrganisationFilterForm
from buicasus.registry.views_records import RecordPages
from buicasus.registry.views_relationships import organisation_tie_context


def _detail_queryset() -> QuerySet[Organisation]:
    return Organisation.objects.select_related(
        "country", "region", "actor_type", "created_by", "updated_by"
    ).prefetch_related("identifiers__scheme")


def _detail_extra(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    roles = services.visible_roles(request.user).filter(organisation=org)
    return {
        "roles": roles.order_by("initiative__title"),
        **organisation_tie_context(request, org),
    }


PAGES = RecordPages(
    kind="organisation",
    context_name="org",
    policy=ORGANISATIONS,
    form_class=OrganisationForm,
    filter_form=OrganisationFilterForm,
    visible=services.visible_organisations,
    filtered=services.filter_organisations,
    detail_queryset=_detail_queryset,
    detail_extra=_detail_extra,
    created_message=_("The organisation was created."),
    saved_message=_("The organisation was saved."),
    deleted_message=_("“%(name)s” was deleted."),
    label=_("organisation"),
)
_VIEWS = PAGES.views()
organisation_list = _VIEWS["list"]
organisation_detail = _VIEWS["detail"]
organisation_create = _VIEWS["create"]
organisation_update = _VIEWS["update"]
organisation_delete = _VIEWS["delete"]
organisation_history = _VIEWS["history"]
