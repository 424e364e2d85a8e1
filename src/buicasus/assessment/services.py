"""Assessment operations read by pages, API, CLI, the analysis and the reports alike.

Frameworks: `load_frameworks` saves validated files (idempotent); `current_framework`,
`dimension_labels` and `statement_mapping` read them. Campaigns: `campaigns_for`,
`latest_campaign`, `campaign_scores` (submitted responses only, scored by `core.maturity`).
Writes on campaigns and responses are in `assessment.campaigns`.

Who reads what (the rule the pages and the API share):
- a campaign's **scores** (aggregates of submitted responses) are read by any logged-in user
  holding a role in some country, or invited to that campaign; they never show who answered
  what, and the framework's guidance against ranking countries holds;
- **individual responses** are read by the coordinators of the campaign's country (and
  platform admins), and by the respondent themselves;
- draft campaigns (not yet opened) are seen by the coordinators of their country only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from buicasus.accounts import permissions
from buicasus.assessment.frameworks import (
    FrameworkDoc,
    FrameworkFileError,
    framework_files,
    read_framework,
)
from buicasus.assessment.models import (
    Answer,
    Campaign,
    Dimension,
    Framework,
    Response,
    ResponseStatus,
    Statement,
)
from buicasus.assessment.policies import CAMPAIGNS
from buicasus.core import maturity
from buicasus.registry.reference import sync_rows

DEFAULT_FRAMEWORK_KEY = "buicasus-maturity"


# --- frameworks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedFramework:
    key: str
    version: int
    dimensions: int
    statements: int
    created: bool


def _previous_codes(doc: FrameworkDoc) -> tuple[Framework | None, dict[str, Statement]]:
    previous = Framework.objects.filter(key=doc.key, version=doc.version - 1).first()
    if previous is None:
        return None, {}
    return previous, {s.code: s for s in previous.statements.all()}


def _check_against_database(doc: FrameworkDoc) -> dict[str, Statement]:
    """`replaces` must name a statement of version N-1; a loaded version may not lose
    statements that have answers. Raises `FrameworkFileError` with the line at fault."""
    problems: list[tuple[int, str]] = []
    previous, codes = _previous_codes(doc)
    for code, replaced, line in doc.replaced_codes():
        if previous is None:
            problems.append(
                (
                    line,
                    f"statement {code} replaces “{replaced}”, but version "
                    f"{doc.version - 1} of {doc.key} is not loaded.",
                )
            )
        elif replaced not in codes:
            problems.append(
                (
                    line,
                    f"statement {code} replaces “{replaced}”, which is not a statement of "
                    f"version {doc.version - 1} of {doc.key}.",
                )
            )
    existing = Framework.objects.filter(key=doc.key, version=doc.version).first()
    if existing is not None:
        kept = {s.code for d in doc.dimensions for s in d.statements}
        answered = (
            Statement.objects.filter(framework=existing, answers__isnull=False)
            .exclude(code__in=kept)
            .values_list("code", flat=True)
            .distinct()
        )
        for code in sorted(answered):
            problems.append(
                (
                    0,
                    f"statement {code} has answers and cannot be removed from version "
                    f"{doc.version}; publish a new version instead.",
                )
            )
    if problems:
        raise FrameworkFileError(doc.path, problems)
    return codes


def _save(doc: FrameworkDoc, previous: dict[str, Statement]) -> LoadedFramework:
    """Write one framework version; dimensions and statements in bulk (a few statements for
    the whole file: tests and `make run` load the framework often)."""
    framework, created = Framework.objects.update_or_create(
        key=doc.key,
        version=doc.version,
        defaults={
            "title": doc.title,
            "source": doc.source,
            "scale_min": doc.scale_min,
            "scale_max": doc.scale_max,
            "file_name": doc.path.name,
        },
    )
    sync_rows(
        Dimension,
        {
            d.code: {
                "framework_id": framework.pk,
                "code": d.code,
                "order": d_order,
                "label": d.label,
                "description": d.description,
            }
            for d_order, d in enumerate(doc.dimensions, start=1)
        },
        {d.code: d for d in framework.dimensions.all()},
    )
    dimension_ids = dict(framework.dimensions.values_list("code", "pk"))
    wanted = {
        s.code: {
            "framework_id": framework.pk,
            "code": s.code,
            "dimension_id": dimension_ids[d.code],
            "order": s_order,
            "text": s.text,
            "low": s.low,
            "high": s.high,
            "replaces_id": previous[s.replaces].pk if s.replaces else None,
        }
        for d in doc.dimensions
        for s_order, s in enumerate(d.statements, start=1)
    }
    sync_rows(Statement, wanted, {s.code: s for s in framework.statements.all()})
    statement_codes = list(wanted)
    framework.statements.exclude(code__in=statement_codes).delete()
    framework.dimensions.exclude(code__in=[d.code for d in doc.dimensions]).delete()
    return LoadedFramework(doc.key, doc.version, len(doc.dimensions), len(statement_codes), created)


def load_frameworks(paths: Iterable[Path | str] | None = None) -> list[LoadedFramework]:
    """Validate then save framework files (default: every file in `assessment/frameworks/`).

    All files are read and checked before anything is written, and all are saved in one
    transaction, lower versions first (so version 2 can name statements of version 1). Loading
    the same file again changes nothing. Raises `FrameworkFileError` naming the line at fault.
    """
    files = [Path(p) for p in paths] if paths is not None else framework_files()
    if not files:
        raise FrameworkFileError("frameworks/", [(0, "no framework file to load.")])
    docs = sorted((read_framework(p) for p in files), key=lambda d: (d.key, d.version))
    seen: dict[tuple[str, int], Path] = {}
    for doc in docs:
        if (doc.key, doc.version) in seen:
            raise FrameworkFileError(
                doc.path,
                [(0, f"{doc.key} version {doc.version} is also in {seen[doc.key, doc.version]}.")],
            )
        seen[doc.key, doc.version] = doc.path
    loaded = []
    with transaction.atomic():
        for doc in docs:
            loaded.append(_save(doc, _check_against_database(doc)))
    return loaded


def current_framework(key: str = DEFAULT_FRAMEWORK_KEY) -> Framework:
    """The newest version of the platform's framework (of any key if that one is missing)."""
    found = Framework.objects.filter(key=key).order_by("-version").first()
    found = found or Framework.objects.order_by("-version", "-pk").first()
    if found is None:
        raise Framework.DoesNotExist(
            "No maturity framework is loaded; run `buicasus load-framework`."
        )
    return found


def dimension_labels(framework: Framework, lang: str) -> dict[str, str]:
    """Dimension code → label in `lang` (else English), in the framework's order."""
    return {d.code: d.name(lang) for d in framework.dimensions.order_by("order")}


def statement_mapping(old: Framework, new: Framework) -> dict[str, str]:
    """Statement code in `old` → the statement of `new` that carries it on, following the
    `replaces` links version by version. Statements without a successor are left out."""
    if old.pk == new.pk:
        return {code: code for code in old.statements.values_list("code", flat=True)}
    if old.key != new.key or old.version > new.version:
        return {}
    carried = {pk: code for pk, code in old.statements.values_list("pk", "code")}
    newest_codes: dict[int, str] = {}
    for framework in Framework.objects.filter(
        key=old.key, version__gt=old.version, version__lte=new.version
    ).order_by("version"):
        following: dict[int, str] = {}
        newest_codes = {}
        for pk, code, replaced in framework.statements.values_list("pk", "code", "replaces_id"):
            if replaced in carried:
                following[pk] = carried[replaced]
                newest_codes[pk] = code
        carried = following
    return {old_code: newest_codes[pk] for pk, old_code in carried.items()}


# --- campaigns and scores --------------------------------------------------------------------


def campaigns_for(country_code: str) -> QuerySet[Campaign]:
    """Every campaign of a country, newest first."""
    return (
        Campaign.objects.filter(country__code=country_code.upper())
        .select_related("country", "framework")
        .order_by("-created_at", "-pk")
    )


def _with_submissions(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    submitted = Response.objects.filter(campaign=OuterRef("pk"), status=ResponseStatus.SUBMITTED)
    return qs.filter(Exists(submitted))


def latest_campaign(country_code: str, *, before: Campaign | None = None) -> Campaign | None:
    """The newest campaign of a country with submitted responses, optionally older than
    `before` (for "what changed since the previous round")."""
    qs = _with_submissions(campaigns_for(country_code))
    if before is not None:
        qs = qs.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, pk__lt=before.pk)
        )
    return qs.first()


def submitted_answers(campaign: Campaign) -> list[maturity.Answer]:
    """The answers of the campaign's submitted responses, as `core.maturity` reads them."""
    rows = Answer.objects.filter(
        response__campaign=campaign, response__status=ResponseStatus.SUBMITTED
    ).values_list("statement__code", "statement__dimension__code", "response__group", "value")
    return [
        maturity.Answer(statement=s, dimension=d, group=g, value=None if v is None else float(v))
        for s, d, g, v in rows
    ]


def campaign_scores(
    campaign: Campaign, *, framework: Framework | None = None, gap: float | None = None
) -> list[maturity.DimensionScore]:
    """Scores per dimension of the campaign's submitted responses, in framework order.

    With `framework` (a newer version of the campaign's), answers are carried over to its
    statements through `replaces` and scored on its dimensions; answers to statements with no
    successor are left out. `gap` defaults to `settings.MATURITY_GAP`.
    """
    target = framework or campaign.framework
    answers = submitted_answers(campaign)
    if target.pk != campaign.framework_id:
        mapping = statement_mapping(campaign.framework, target)
        dimension_of = dict(target.statements.values_list("code", "dimension__code"))
        answers = [
            maturity.Answer(
                mapping[a.statement], dimension_of[mapping[a.statement]], a.group, a.value
            )
            for a in answers
            if a.statement in mapping
        ]
    dimensions: Sequence[str] = list(
        target.dimensions.order_by("order").values_list("code", flat=True)
    )
    threshold = settings.MATURITY_GAP if gap is None else gap
    return maturity.score_dimensions(answers, dimensions, gap=threshold)


# --- who sees what ---------------------------------------------------------------------------


def can_manage(user: Any, country_code: str | None) -> bool:
    """Coordinators of the country and platform admins open, close and invite."""
    return permissions.can_manage_users(user, country_code)


def is_reader(user: Any) -> bool:
    """Holds a role in some country (or is a platform admin): may read submitted scores."""
    return permissions.sees_unpublished(user)


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns `user` may see: opened ones for readers and invitees, drafts for managers."""
    return CAMPAIGNS.queryset(user).select_related("country", "framework")


def can_read_scores(user: Any, campaign: Campaign) -> bool:
    return CAMPAIGNS.allows(user, campaign)


def can_see_responses(user: Any, campaign: Campaign) -> bool:
    return can_manage(user, campaign.country.code)
