"""Analysis operations used by pages, API, CLI and reports alike.

- `registry_indicators(country_code)`: indicators counted from the registry (`figures`);
- `swot(country_code)`: the SWOT table derived by `core.swot`, with editors' edits applied;
- `add_line`, `reword_line`, `dismiss_line`, `restore_line`: editors' edits, kept by line key
  with their history (`SwotEdit`, `SwotEditEntry`);
- `compare(country_codes)` and `compare_campaigns(...)`: profiles side by side (`comparison`).

The SWOT compares a country's registry indicators with the median of every other country holding
published records; network density is shown among the indicators but not used by the SWOT
(it would compute a network per country on every page).

Writes check `permissions.can_edit` for the country first (raising `PermissionDenied`), validate
(raising `ValidationError` naming the field), then write in one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.analysis import figures, profiles, wording
from buicasus.analysis.comparison import (
    CampaignChange,
    Comparison,
    compare,
    compare_campaigns,
)
from buicasus.analysis.figures import registry_indicators
from buicasus.analysis.models import Quadrant, SwotAction, SwotEdit, SwotEditEntry
from buicasus.core import swot as core
from buicasus.core.indicators import Indicator, RegistryFacts, compute
from buicasus.core.radar import radar_svg
from buicasus.reference.models import Country

__all__ = [
    "CampaignChange",
    "Comparison",
    "SwotLine",
    "SwotTable",
    "add_line",
    "compare",
    "compare_campaigns",
    "dismiss_line",
    "line_history",
    "profile_radar",
    "registry_indicators",
    "restore_line",
    "reword_line",
    "swot",
]

MAX_TEXT = 600
# Which self-assessed dimensions (maturity-v1 codes) a registry indicator speaks to, for the
# "latent capacity" opportunity. Codes absent from the current framework are ignored.
INDICATOR_LINKS: dict[str, tuple[str, ...]] = {
    "funding-diversity": ("finance",),
    "cross-sector-ties": ("networks",),
    "replicated-share": ("scaling",),
    "established-evidence": ("impact", "data"),
}


@dataclass(frozen=True)
class SwotLine:
    """One line as shown: derived wording or the editor's, with its evidence link."""

    key: str
    quadrant: str
    origin: str
    text: str
    derived_text: str  # "" for an editor's own line
    edited: bool
    dismissed: bool
    evidence_url: str
    evidence_label: str
    updated_by: str = ""
    updated_at: Any = None


@dataclass
class SwotTable:
    country: str
    quadrants: dict[str, list[SwotLine]]
    dismissed: list[SwotLine] = field(default_factory=list)
    campaign: Any = None
    indicators: list[Indicator] = field(default_factory=list)

    def lines(self) -> list[SwotLine]:
        return [line for q in core.QUADRANTS for line in self.quadrants[q]]


def _country(code: str) -> Country:
    try:
        return Country.objects.get(code=code.upper())
    except Country.DoesNotExist as exc:
        raise Country.DoesNotExist(_("Unknown country: %(code)s") % {"code": code}) from exc


def _facts(
    user: Any, country: Country, all_facts: dict[str, RegistryFacts]
) -> tuple[core.CountryFacts, list[core.CountryFacts], profiles.Profile]:
    """The subject's facts, the other countries' facts, and the subject's profile."""
    values = {code: {v.code: v.value for v in compute(f)} for code, f in all_facts.items()}
    mine = profiles.profile(country, user)
    previous = profiles.profile(country, user, before=mine.campaign) if mine.campaign else mine
    own = all_facts[country.code]
    subject = core.CountryFacts(
        country.code,
        scores=mine.means(),
        indicators=values[country.code],
        disagreements=[
            _disagreement(s) for s in mine.scores if s.disagreement and s.mean is not None
        ],
        previous_scores=previous.means() if previous.campaign else {},
        counts={"initiatives": own.initiatives, "fundings": sum(own.funding_counts.values())},
    )
    peers = profiles.profiles(user, exclude=country.code)
    others_scores = {p.country.code: p.means() for p in peers}
    codes = (set(values) | set(others_scores)) - {country.code}
    others = [
        core.CountryFacts(c, scores=others_scores.get(c, {}), indicators=values.get(c, {}))
        for c in sorted(codes)
    ]
    return subject, others, mine


def _disagreement(score: Any) -> core.Disagreement:
    groups = sorted(score.group_means.items(), key=lambda kv: kv[1])
    return core.Disagreement(
        score.dimension,
        score.gap,
        high_group=groups[-1][0] if groups else "",
        low_group=groups[0][0] if groups else "",
    )


def _derived(user: Any, country: Country, lang: str) -> tuple[list[SwotLine], Any, list[Indicator]]:
    """Derived lines with their wording and evidence, the campaign and the indicators used."""
    all_facts = figures.registry_facts(None, include=[country.code])
    subject, others, mine = _facts(user, country, all_facts)
    links = {k: list(v) for k, v in INDICATOR_LINKS.items()}
    lines = core.derive(subject, others, links=links)
    indicators = figures.to_indicators(all_facts[country.code])
    labels = {i.code: (i.label, i.unit) for i in indicators}
    urls = {i.code: i.evidence_url for i in indicators}
    dims = profiles.dimension_labels(lang)
    names = {c.code: c.name(lang) for c in Country.objects.all()}
    shown = []
    for line in lines:
        text = wording.line_text(line, dims, labels, names)
        url, label = wording.evidence(line, country.code, urls)
        shown.append(
            SwotLine(line.key, line.quadrant, line.origin, text, text, False, False, url, label)
        )
    return shown, mine.campaign, indicators


def _apply(line: SwotLine, edit: SwotEdit | None) -> SwotLine:
    if edit is None:
        return line
    who = edit.updated_by.get_username() if edit.updated_by else ""
    return SwotLine(
        line.key,
        line.quadrant,
        line.origin,
        edit.text or line.derived_text,
        line.derived_text,
        bool(edit.text),
        edit.dismissed,
        line.evidence_url,
        line.evidence_label,
        who,
        edit.updated_at,
    )


def swot(country_code: str, *, user: Any = None, lang: str | None = None) -> SwotTable:
    """The SWOT table of a country: derived lines with editors' edits applied, editors' own
    lines, and the dismissed lines apart (also shown in reports). Pages and API check
    `profiles.can_see_scores` first; `user=None` is a trusted caller (report, CLI)."""
    country = _country(country_code)
    lang = lang or get_language() or "en"
    derived, campaign, indicators = _derived(user, country, lang)
    edits = {
        e.key: e for e in SwotEdit.objects.filter(country=country).select_related("updated_by")
    }
    table = SwotTable(country.code, {q: [] for q in core.QUADRANTS}, [], campaign, indicators)
    manual = [
        SwotLine(e.key, e.quadrant, "manual", e.text, "", True, e.dismissed, "", "")
        for e in edits.values()
        if e.manual
    ]
    for line in derived + manual:
        shown = _apply(line, edits.get(line.key))
        (table.dismissed if shown.dismissed else table.quadrants[shown.quadrant]).append(shown)
    return table


def profile_radar(profile: profiles.Profile, labels: dict[str, str], title: str) -> str:
    """The radar chart (SVG) of one profile over the framework's dimensions."""
    by_dim = profile.by_dimension
    codes = list(labels) or list(by_dim)
    values = [by_dim[d].mean if d in by_dim else None for d in codes]
    return radar_svg(
        [labels.get(d, d) for d in codes],
        [(title, values)],
        title=title,
        missing_text=_("dimensions without a score: {n}"),
    )


# --- editors' edits ----------------------------------------------------------------------------


def _require_editor(user: Any, country: Country) -> None:
    if not permissions.can_edit(user, country.code):
        raise PermissionDenied


def _clean_text(text: str, *, required: bool) -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise ValidationError({"text": [_("Write the line.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {"text": [_("Keep the line under %(n)d characters.") % {"n": MAX_TEXT}]}
        )
    return text


def _log(edit: SwotEdit, user: Any, action: str, old: str, new: str) -> None:
    SwotEditEntry.objects.create(edit=edit, action=action, old_text=old, new_text=new, user=user)


def add_line(user: Any, country_code: str, quadrant: str, text: str) -> SwotEdit:
    """An editor's own line in `quadrant`."""
    country = _country(country_code)
    _require_editor(user, country)
    if quadrant not in Quadrant.values:
        raise ValidationError(
            {"quadrant": [_("Choose strengths, weaknesses, opportunities or threats.")]}
        )
    text = _clean_text(text, required=True)
    with transaction.atomic():
        edit = SwotEdit.objects.create(
            country=country,
            key=f"manual:{uuid.uuid4().hex[:12]}",
            quadrant=quadrant,
            manual=True,
            text=text,
            updated_by=user,
        )
        _log(edit, user, SwotAction.ADD, "", text)
    return edit


def _line(user: Any, country: Country, key: str) -> tuple[SwotLine, SwotEdit | None]:
    """The line `key` as currently shown (derived or manual), and its edit if any."""
    edit = SwotEdit.objects.filter(country=country, key=key).first()
    if edit is not None and edit.manual:
        return SwotLine(
            key, edit.quadrant, "manual", edit.text, "", True, edit.dismissed, "", ""
        ), edit
    derived, _campaign, _indicators = _derived(None, country, get_language() or "en")
    for line in derived:
        if line.key == key:
            return _apply(line, edit), edit
    raise ValidationError({"key": [_("This line is no longer in the table.")]})


def _edit_for(country: Country, line: SwotLine, edit: SwotEdit | None, user: Any) -> SwotEdit:
    if edit is not None:
        return edit
    return SwotEdit.objects.create(
        country=country, key=line.key, quadrant=line.quadrant, updated_by=user
    )


def reword_line(user: Any, country_code: str, key: str, text: str) -> SwotEdit:
    """New wording for a line; an empty text puts a derived line back to its derived wording."""
    country = _country(country_code)
    _require_editor(user, country)
    with transaction.atomic():
        line, edit = _line(user, country, key)
        text = _clean_text(text, required=line.origin == "manual")
        if text == line.derived_text:
            text = ""
        old = line.text
        edit = _edit_for(country, line, edit, user)
        action = SwotAction.REWORD if text else SwotAction.RESET
        edit.text, edit.updated_by = text, user
        edit.save()
        _log(edit, user, action, old, text or line.derived_text)
    return edit


def _set_dismissed(user: Any, country_code: str, key: str, dismissed: bool) -> SwotEdit:
    country = _country(country_code)
    _require_editor(user, country)
    with transaction.atomic():
        line, edit = _line(user, country, key)
        edit = _edit_for(country, line, edit, user)
        edit.dismissed, edit.updated_by = dismissed, user
        edit.save()
        action = SwotAction.DISMISS if dismissed else SwotAction.RESTORE
        _log(edit, user, action, line.text, line.text)
    return edit


def dismiss_line(user: Any, country_code: str, key: str) -> SwotEdit:
    """Hide a line from the table; it stays listed as dismissed and can be restored."""
    return _set_dismissed(user, country_code, key, True)


def restore_line(user: Any, country_code: str, key: str) -> SwotEdit:
    return _set_dismissed(user, country_code, key, False)


def line_history(country_code: str, key: str) -> list[SwotEditEntry]:
    """Every change to the line `key`, newest first."""
    return list(
        SwotEditEntry.objects.filter(edit__country__code=country_code.upper(), edit__key=key)
        .select_related("user")
        .order_by("-at", "-pk")
    )
