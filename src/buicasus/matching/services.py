"""Needs, their sharing with other countries, recommendations and notifications.

Who may do what (checked here, so pages, API and CLI agree):
- a need belongs to a country: editors (and stronger) of that country create, edit, delete
  and share it; viewers of that country read it;
- staff (viewer or stronger) of a country the need is shared with read it; editors of such a
  country recommend initiatives for it;
- everyone else gets `PermissionDenied` (403).

Every write runs in one transaction; bad input raises `NeedInvalid` naming the field, before
anything is written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.accounts.models import Membership, Role
from buicasus.matching.models import (
    NEED_TEXT_MAX,
    Need,
    NeedShare,
    Notification,
    NotificationKind,
    Recommendation,
)
from buicasus.matching.policies import NEEDS
from buicasus.reference.models import Country
from buicasus.registry import services as registry
from buicasus.registry.models import Initiative
from buicasus.semantic import services as semantic

log = logging.getLogger(__name__)


class NeedInvalid(ValueError):
    """Input refused; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def check_text(text: str, field: str = "text") -> str:
    """A need statement stripped, or `NeedInvalid` when empty or longer than NEED_TEXT_MAX."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise NeedInvalid({field: [_("The need statement is empty; describe the need.")]})
    if len(cleaned) > NEED_TEXT_MAX:
        message = _(
            "The need statement has %(length)d characters; at most %(max)d are accepted."
        ) % {"length": len(cleaned), "max": NEED_TEXT_MAX}
        raise NeedInvalid({field: [message]})
    return cleaned


# --- reading -------------------------------------------------------------------------------


def visible_needs(user: Any) -> QuerySet[Need]:
    """Needs of the user's countries and needs shared with them (admins: all)."""
    return NEEDS.queryset(user).select_related("country", "region", "organisation", "created_by")


def can_view(user: Any, need: Need) -> bool:
    return NEEDS.allows(user, need)


def can_edit(user: Any, need: Need) -> bool:
    return NEEDS.allows(user, need, "manage")


def recommending_countries(user: Any, need: Need) -> list[str]:
    """Codes of the countries, among those the need is shared with, whose editor the user is."""
    shared = need.shares.values_list("country__code", flat=True)
    return sorted(code for code in shared if permissions.can_edit(user, code))


def get_need(user: Any, pk: int) -> Need:
    """The need, or `Need.DoesNotExist`; `PermissionDenied` when it exists but is not visible."""
    need = Need.objects.select_related("country", "region", "organisation").get(pk=pk)
    if not can_view(user, need):
        raise PermissionDenied(_("You may not see this need."))
    return need


def need_countries(user: Any) -> list[str]:
    """Countries where the user may state needs (editor or stronger)."""
    return permissions.countries_with(user, Role.EDITOR)


# --- writing needs -------------------------------------------------------------------------


def save_need(user: Any, form: Any) -> Need:
    """Create or update a need from a valid `NeedForm`; editors of its country only (and, on
    update, of its former country)."""
    if not form.is_valid():
        raise NeedInvalid({k: [str(m) for m in v] for k, v in form.errors.items()})
    if form.instance.pk:
        original = Need.objects.select_related("country").get(pk=form.instance.pk)
        if not can_edit(user, original):
            raise PermissionDenied(_("You may not change this need."))
    if not permissions.can_edit(user, form.cleaned_data["country"].code):
        raise PermissionDenied(_("You may not state needs for this country."))
    with transaction.atomic():
        need = form.save(commit=False)
        if not need.pk:
            need.created_by = user
        need.save()
        form.save_m2m()
    return need


def delete_need(user: Any, need: Need) -> None:
    if not can_edit(user, need):
        raise PermissionDenied(_("You may not delete this need."))
    with transaction.atomic():
        need.delete()


# --- sharing -------------------------------------------------------------------------------


def _staff(codes: Iterable[str], role: Role) -> QuerySet[Any]:
    """Active users holding `role` or stronger in one of the countries."""
    strongest_first = [Role.COORDINATOR, Role.EDITOR, Role.CONTRIBUTOR, Role.VIEWER]
    roles = strongest_first[: strongest_first.index(role) + 1]
    users = Membership.objects.filter(country__code__in=list(codes), role__in=roles).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=users, is_active=True)


def share_need(
    user: Any, need: Need, country_codes: Sequence[str], message: str = ""
) -> list[NeedShare]:
    """Share the need with the centres of other countries; their editors are notified.

    Sharing again with a country already shared is a no-op for that country.
    """
    if not can_edit(user, need):
        raise PermissionDenied(_("You may not share this need."))
    codes = sorted({c.strip().upper() for c in country_codes if c.strip()})
    if not codes:
        raise NeedInvalid({"countries": [_("Choose at least one country.")]})
    known = {c.code: c for c in Country.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise NeedInvalid({"countries": [_("Unknown country: %s.") % ", ".join(unknown)]})
    if need.country.code in codes:
        raise NeedInvalid({"countries": [_("A need cannot be shared with its own country.")]})
    created: list[NeedShare] = []
    with transaction.atomic():
        for code in codes:
            share, new = NeedShare.objects.get_or_create(
                need=need, country=known[code], defaults={"shared_by": user, "message": message}
            )
            if new:
                created.append(share)
        recipients = _staff([s.country.code for s in created], Role.EDITOR).exclude(pk=user.pk)
        for recipient in recipients:
            notify(recipient, NotificationKind.SHARED, need)
    return created


def unshare_need(user: Any, need: Need, country_code: str) -> None:
    if not can_edit(user, need):
        raise PermissionDenied(_("You may not share this need."))
    with transaction.atomic():
        need.shares.filter(country__code=country_code.upper()).delete()


# --- recommendations -----------------------------------------------------------------------


def recommend(
    user: Any, need: Need, initiative: Initiative, comment: str, country_code: str = ""
) -> Recommendation:
    """An editor of a country the need is shared with recommends an initiative they can see;
    the need's author (or, failing that, its country's editors) is notified."""
    countries = recommending_countries(user, need)
    if not countries:
        raise PermissionDenied(_("Only editors of a country this need is shared with recommend."))
    code = country_code.upper() or countries[0]
    if code not in countries:
        raise PermissionDenied(_("You may not recommend on behalf of this country."))
    errors: dict[str, list[str]] = {}
    if not registry.visible_initiatives(user).filter(pk=initiative.pk).exists():
        errors["initiative"] = [_("This initiative does not exist or is not visible to you.")]
    comment = (comment or "").strip()
    if not comment:
        errors["comment"] = [_("Say in a comment why this initiative fits the need.")]
    elif len(comment) > NEED_TEXT_MAX:
        errors["comment"] = [_("The comment is too long.")]
    if (
        not errors
        and Recommendation.objects.filter(
            need=need, initiative=initiative, country__code=code
        ).exists()
    ):
        errors["initiative"] = [_("Your country already recommended this initiative.")]
    if errors:
        raise NeedInvalid(errors)
    with transaction.atomic():
        rec = Recommendation.objects.create(
            need=need,
            initiative=initiative,
            country=Country.objects.get(code=code),
            comment=comment,
            recommended_by=user,
        )
        if need.created_by_id and need.created_by.is_active:
            askers: Iterable[Any] = [need.created_by]
        else:
            askers = _staff([need.country.code], Role.EDITOR)
        for asker in askers:
            if asker.pk != user.pk:
                notify(asker, NotificationKind.RECOMMENDED, need, rec)
    return rec


def recommendations_for(user: Any, need: Need) -> QuerySet[Recommendation]:
    """Human recommendations for a need, with initiatives the reader may see."""
    visible = registry.visible_initiatives(user).values("pk")
    return (
        need.recommendations.filter(initiative__in=visible)
        .select_related("initiative", "initiative__country", "country", "recommended_by")
        .order_by("-created_at", "-id")
    )


def delete_recommendation(user: Any, rec: Recommendation) -> None:
    """Its author, or an editor of its country, withdraws a recommendation."""
    if rec.recommended_by_id != user.pk and not permissions.can_edit(user, rec.country.code):
        raise PermissionDenied(_("You may not withdraw this recommendation."))
    with transaction.atomic():
        rec.delete()


# --- notifications -------------------------------------------------------------------------


def notification_text(note: Notification) -> str:
    """The notification in the current language."""
    if note.kind == NotificationKind.SHARED:
        return _("The need “%(need)s” (%(country)s) was shared with your country.") % {
            "need": note.need.title,
            "country": note.need.country.name(),
        }
    rec = note.recommendation
    return _("%(country)s recommends “%(initiative)s” for your need “%(need)s”.") % {
        "country": rec.country.name() if rec else "",
        "initiative": rec.initiative.title if rec else "",
        "need": note.need.title,
    }


def _absolute(path: str) -> str:
    base = settings.SITE_URL
    return f"{base}{path}" if base else path


def notify(
    user: Any, kind: str, need: Need, recommendation: Recommendation | None = None
) -> Notification:
    """Store a notification and send it by e-mail when the user has an address (after the
    transaction commits, so a rolled-back write sends nothing)."""
    note = Notification.objects.create(
        user=user, kind=kind, need=need, recommendation=recommendation
    )
    if user.email:
        transaction.on_commit(lambda: _mail(note))
    return note


def _mail(note: Notification) -> None:
    try:
        link = _absolute(reverse("matching:need-detail", args=[note.need_id]))
    except NoReverseMatch:  # pragma: no cover - the URL is part of this app
        link = ""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("BuiCaSuS: %(what)s") % {"what": note.get_kind_display()}
        body = f"{notification_text(note)}\n\n{link}\n"
    try:
        send_mail(subject, body, None, [note.user.email])
    except OSError:
        log.warning("Could not send the notification e-mail to user %s", note.user_id)


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related(
        "need", "need__country", "recommendation__initiative", "recommendation__country"
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: Any, ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (all, or those of `ids`); returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


# --- retrieval (the semantic app's engine) -------------------------------------------------


def retrieve(
    text: str,
    *,
    k: int = 20,
    exclude_country: str | None = None,
    countries: Sequence[str] | None = None,
    stages: Sequence[str] = (),
    evidence_levels: Sequence[str] = (),
    terms: Sequence[str] = (),
    user: Any = None,
) -> Any:
    """Call `semantic.services.find`: a `FindResult(hits, language, notice)`.

    The only place this app touches the engine, so its signature changes stay here.
    """
    try:
        return semantic.find(
            text,
            k=k,
            exclude_country=exclude_country,
            countries=list(countries) if countries else None,
            stages=tuple(stages),
            evidence_levels=tuple(evidence_levels),
            terms=tuple(terms),
            user=user,
        )
    except semantic.NeedError as exc:
        raise NeedInvalid({"text": [str(exc)]}) from exc
