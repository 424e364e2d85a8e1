"""Initiative pages: list with filters, detail, create, edit, delete, history (the flow is
`views_records.RecordPages`; this module says what is particular to initiatives: lineage and
the roles organisations play)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from buicasus.registry import services
from buicasus.registry.forms import InitiativeForm
from buicasus.registry.models import Initiative
from buicasus.registry.policies import INITIATIVES
from buicasus.registry.views_filters import InitiativeFilterForm
from buicasus.registry.views_records import RecordPages
from buicasus.registry.views_relationships import initiative_role_context
from buicasus.web.pages import safe_next

_TERM_FIELDS = ("stage", "evidence_level", "scaling_strategy")
_TERM_LISTS = (
    "regions",
    "policy_fields",
    "esf_objectives",
    "sdgs",
    "target_groups",
    "methods",
    "scaling_directions",
)


def _detail_queryset() -> QuerySet[Initiative]:
    return Initiative.objects.select_related(
        "country", "replicated_from", "created_by", "updated_by", *_TERM_FIELDS
    ).prefetch_related(*_TERM_LISTS, "fundings__source")


def _detail_extra(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    visible = services.visible_initiatives(request.user)
    parent = initiative.replicated_from
    return {
        "replicated_from": parent if parent and visible.filter(pk=parent.pk).exists() else None,
        "replications": visible.filter(replicated_from=initiative).order_by("title"),
        **initiative_role_context(request, initiative),
    }


def limit_lineage(form: InitiativeForm, user: Any) -> None:
    """ "Replicated from" chooses among the initiatives the user can see, by title."""
    field = form.fields["replicated_from"]
    visible = services.visible_initiatives(user).order_by("title")
    if form.instance.pk:
        visible = visible.exclude(pk=form.instance.pk)
    field.queryset = visible
    field.widget = forms.Select(
        choices=[("", "---------")] + [(i.pk, f"{i.title} ({i.country.code})") for i in visible]
    )


def _after_save(request: HttpRequest, initiative: Initiative) -> str:
    # A page that sent the user here to add an initiative (a need's recommendation form) gets
    # them back with the new initiative's id.
    target = safe_next(request, initiative.get_absolute_url())
    if target != initiative.get_absolute_url():
        target = f"{target}{'&' if '?' in target else '?'}initiative={initiative.pk}"
    return target


PAGES = RecordPages(
    kind="initiative",
    context_name="initiative",
    policy=INITIATIVES,
    form_class=InitiativeForm,
    filter_form=InitiativeFilterForm,
    visible=services.visible_initiatives,
    filtered=services.filter_initiatives,
    detail_queryset=_detail_queryset,
    detail_extra=_detail_extra,
    created_message=_("The initiative was created."),
    saved_message=_("The initiative was saved."),
    deleted_message=_("“%(name)s” was deleted."),
    label=_("initiative"),
    prepare_form=limit_lineage,
    after_save=_after_save,
)
_VIEWS = PAGES.views()
initiative_list = _VIEWS["list"]
initiative_detail = _VIEWS["detail"]
initiative_create = _VIEWS["create"]
initiative_update = _VIEWS["update"]
initiative_delete = _VIEWS["delete"]
initiative_history = _VIEWS["history"]
