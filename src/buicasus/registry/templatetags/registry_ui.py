"""Template helpers for the registry pages: labels in the reader's language, translated texts,
query strings for filters and pagination, and navigation state."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info

from buicasus.accounts import permissions
from buicasus.core.multilingual import Shown, pick_text
from buicasus.registry import sources
from buicasus.registry.models import label_in

register = template.Library()


@register.filter
def label(labels: dict[str, str] | None, fallback: str = "") -> str:
    """A labels dict (`{"en": …, "fr": …}`) shown in the reader's language."""
    return label_in(labels or {}, fallback)


@register.filter
def language_name(code: str | None) -> str:
    """A language code as the language's name in the reader's language (`fr` → French)."""
    if not code:
        return ""
    try:
        return str(get_language_info(code.split("-")[0].lower())["name_translated"])
    except KeyError:
        return code


@register.simple_tag
def shown(record: Any, attribute: str) -> Shown:
    """`{% shown initiative "title" as title %}`: the reader's translation, else the original."""
    return pick_text(
        str(getattr(record, attribute, "") or ""),
        getattr(record, "description_language", "") or "",
        getattr(record, "translations", None) or {},
        attribute,
        get_language() or "en",
    )


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" drops one)."""
    request: HttpRequest | None = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return ""
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, *prefixes: str) -> SafeString:
    """` aria-current="page"` when the current URL name starts with one of `prefixes`;
    a prefix ending in ":" names a whole app namespace (`"dedup:"`), one with ":" inside a
    namespaced name and its sub-pages (`"analysis:compare"`)."""
    request: HttpRequest | None = context.get("request")
    match = getattr(request, "resolver_match", None)
    name = getattr(match, "url_name", None) or ""
    view = getattr(match, "view_name", None) or ""

    def current(prefix: str) -> bool:
        if prefix.endswith(":"):
            return view.startswith(prefix)
        here = view if ":" in prefix else name
        return here == prefix or here.startswith(f"{prefix}-")

    if any(current(p) for p in prefixes):
        return SafeString(' aria-current="page"')
    return SafeString("")


@register.simple_tag
def user_powers(user: Any) -> dict[str, bool]:
    """What the navigation offers a user beyond reading: proposing, managing users."""
    return {
        "propose": bool(permissions.countries_with(user, permissions.Role.CONTRIBUTOR))
        if getattr(user, "is_authenticated", False)
        else False,
        "manage_users": bool(permissions.countries_with(user, permissions.Role.COORDINATOR))
        if getattr(user, "is_authenticated", False)
        else False,
    }


@register.simple_tag
def translation_fields(form: Any) -> dict[str, Any]:
    """The per-language translation fields of a record form, and whether any has an error."""
    fields = [form[name] for name in form.translation_field_names()]
    return {"fields": fields, "errors": any(f.errors for f in fields)}


@register.simple_tag
def record_sources(record: Any) -> list[Any]:
    """Every source a record came from (several after a merge), with their licence notes."""
    return sources.sources_of(record)
