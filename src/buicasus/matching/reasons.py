"""Words for the transferability's message codes, in the reader's language.

`core.transferability` explains each component with codes and parameters; this module turns
them into sentences (gettext), naming vocabulary terms (evidence levels, actor types) by their
label in the reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from buicasus.core import transferability as tr
from buicasus.core import vocabulary_fields as vf
from buicasus.registry.models import Term

COMPONENT_LABELS = {
    tr.PROBLEM_FIT: gettext_lazy("Problem fit"),
    tr.EVIDENCE: gettext_lazy("Evidence level"),
    tr.SPREAD: gettext_lazy("Spread"),
    tr.ESSENTIALS: gettext_lazy("Essentials documented"),
    tr.EASE: gettext_lazy("Ease"),
    tr.CONTEXT: gettext_lazy("Relevance of context"),
}

COMPONENT_HELP = {
    tr.PROBLEM_FIT: gettext_lazy("How close the initiative's problem is to the need."),
    tr.EVIDENCE: gettext_lazy(
        "Its rung on the evidence ladder: innovation, promising, good, best practice."
    ),
    tr.SPREAD: gettext_lazy("Whether it was already replicated, and in how many countries."),
    tr.ESSENTIALS: gettext_lazy(
        "Whether its active ingredients are documented: description, outcome evidence, "
        "methods, target groups, website, organisations."
    ),
    tr.EASE: gettext_lazy(
        "How little must change: the kinds of organisation it relies on, and its cost "
        "against the budget."
    ),
    tr.CONTEXT: gettext_lazy(
        "How alike the source and target places are (GDP per head in purchasing-power "
        "standards, Eurostat)."
    ),
}

ESSENTIAL_LABELS = {
    "description": gettext_lazy("a description"),
    "outcome_evidence": gettext_lazy("outcome evidence"),
    "methods": gettext_lazy("methods"),
    "target_groups": gettext_lazy("target groups"),
    "website": gettext_lazy("a website"),
    "organisations": gettext_lazy("the organisations involved"),
}


def component_label(key: str) -> str:
    return str(COMPONENT_LABELS.get(key, key))


def _terms(key: str, codes: Iterable[str]) -> str:
    codes = list(codes)
    labels = {t.code: t.label() for t in Term.objects.filter(vocabulary__key=key, code__in=codes)}
    return ", ".join(labels.get(c, c) for c in codes)


def _items(codes: Iterable[str]) -> str:
    return ", ".join(str(ESSENTIAL_LABELS.get(c, c)) for c in codes)


def _number(value: Any) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def describe(reason: tr.Reason) -> str:
    """One reason as a sentence in the current language."""
    p: dict[str, Any] = dict(reason.params)
    code = reason.code
    if code.startswith("problem_fit."):
        band = {
            "problem_fit.strong": _("Close match to the need"),
            "problem_fit.partial": _("Partial match to the need"),
            "problem_fit.weak": _("Weak match to the need"),
        }.get(code, _("Match to the need"))
        return _("%(band)s (similarity %(percent)s%%).") % {"band": band, "percent": p["percent"]}
    if code == "evidence.level":
        return _("%(level)s: rung %(rung)s of %(rungs)s on the evidence ladder.") % {
            "level": _terms(vf.vocabulary_of(vf.INITIATIVE, "evidence_level"), [str(p["level"])]),
            "rung": p["rung"],
            "rungs": p["rungs"],
        }
    if code == "evidence.not_stated":
        return _("No evidence level stated; counted as no evidence.")
    if code == "evidence.unknown_level":
        return _("Unknown evidence level “%(level)s”.") % {"level": p["level"]}
    if code == "spread.none":
        return _("No replication recorded yet.")
    if code in {"spread.abroad", "spread.home_only"}:
        copies = ngettext(
            "Replicated %(count)d time", "Replicated %(count)d times", int(p["count"])
        ) % {"count": p["count"]}
        if code == "spread.home_only":
            return _("%(copies)s, in its own country only.") % {"copies": copies}
        where = ngettext(
            "in %(n)d other country", "in %(n)d other countries", int(p["countries"])
        ) % {"n": p["countries"]}
        return _("%(copies)s, %(where)s.") % {"copies": copies, "where": where}
    if code == "essentials.present":
        return _("Documented: %(items)s.") % {"items": _items(p["items"])}
    if code == "essentials.partial":
        return _("Partly documented: %(items)s.") % {"items": _items(p["items"])}
    if code == "essentials.missing":
        return _("Missing: %(items)s.") % {"items": _items(p["items"])}
    if code in {"ease.types_from_need", "ease.types_from_country"}:
        have = _terms(vf.vocabulary_of(vf.ORGANISATION, "actor_type"), p["have"]) or _("none")
        lacking = _terms(vf.vocabulary_of(vf.ORGANISATION, "actor_type"), p["lacking"])
        where = (
            _("among the legal forms the need lists")
            if code == "ease.types_from_need"
            else _("in the target country's registry")
        )
        text = _("Kinds of organisation it relies on found %(where)s: %(have)s.") % {
            "where": where,
            "have": have,
        }
        if lacking:
            text += " " + _("Lacking: %(lacking)s.") % {"lacking": lacking}
        return text
    if code == "ease.types_unknown":
        return _("The organisations it relies on are not recorded.")
    if code in {"ease.budget_covers", "ease.budget_short"}:
        values = {
            "budget": _number(p["budget"]),
            "cost": _number(p["cost"]),
            "percent": p["percent"],
        }
        if code == "ease.budget_covers":
            return _("The budget (%(budget)s) covers its recorded funding (%(cost)s).") % values
        return (
            _("The budget (%(budget)s) is %(percent)s%% of its recorded funding (%(cost)s).")
            % values
        )
    if code == "ease.budget_unknown":
        return _("Budget or recorded funding unknown; cost not compared.")
    if code == "context.gdp":
        return _(
            "GDP per head in PPS: %(source)s in %(source_code)s (%(source_year)s) against "
            "%(target)s in %(target_code)s (%(target_year)s), a ratio of %(ratio)s."
        ) % {**p, "source": _number(p["source"]), "target": _number(p["target"])}
    if code == "context.fallback":
        return _("No figure for %(asked)s; used %(used)s, the nearest area above it.") % p
    if code == "context.unknown":
        return _("Unknown: no GDP figure for the source or target place; weight redistributed.")
    return code


def describe_all(reasons: Iterable[tr.Reason]) -> list[str]:
    return [describe(r) for r in reasons]


def redistributed_note(keys: Iterable[str]) -> str:
    """`Unknown: ease; its weight went to the known components.`"""
    names = ", ".join(component_label(k) for k in keys)
    return _("Unknown: %(names)s; their weight went to the known components.") % {"names": names}
