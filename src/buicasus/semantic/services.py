"""Cross-lingual matching of a need against the registry's initiatives, for the matching app.

`find(text, …)` prepares the need (`pipeline.prepare_need`), takes the vectors of the visible
initiatives passing the filters (exact search over an in-memory snapshot, or the approximate
index above `settings.ANN_THRESHOLD` stored vectors), the full-text evidence from the search
index (`lexical`), and ranks with `core.retrieval_engine.rank`. No search embeds a document:
initiatives without a stored embedding yet (a worker computes them, `semantic.tasks`) take
part through their words, and a notice says how many wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from buicasus.core import vocabulary_fields
from buicasus.core.fusion import RRF_K, to_unit
from buicasus.core.retrieval import passages
from buicasus.core.retrieval_engine import VectorSet, Weights, rank
from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.registry.models import Initiative
from buicasus.registry.policies import INITIATIVES
from buicasus.semantic import lexical as lexical_side
from buicasus.semantic import store, tasks
from buicasus.semantic.embeddings import ensure_embeddings as _ensure
from buicasus.semantic.embeddings import pending_count
from buicasus.semantic.encoders import E5_NAME, get_encoder
from buicasus.semantic.models import InitiativeEmbedding
from buicasus.semantic.pipeline import NeedError, prepare_need
from buicasus.semantic.reference import (
    CONCEPT_VOCABULARIES,
    Reference,
    database_terms,
    reference,
)

__all__ = ["FindResult", "Hit", "NeedError", "ensure_embeddings", "find", "index_status", "rebuild"]

ANN_CANDIDATES = 400
EXACT_FALLBACK = 50_000  # filtered sets this small are searched exactly when the ANN misses
WEIGHTS = Weights()


@dataclass(frozen=True)
class Hit:
    initiative_id: int
    score: float  # fused rank score (higher is better; only comparable within one result)
    similarity: float  # 0–1 problem fit, from the calibrated semantic score
    semantic: float | None  # calibrated semantic score (deviations above its group's mean)
    lexical_rank: int | None
    concept: float | None
    passage: str  # the passage of the initiative that fits the need best


@dataclass(frozen=True)
class FindResult:
    hits: list[Hit]
    language: str | None
    notice: str | None


def ensure_embeddings(initiative_ids: Sequence[int] | None) -> int:
    """Embed these initiatives if their stored vectors are missing or stale; returns how many
    were computed."""
    return _ensure(initiative_ids)


def current_reference() -> Reference:
    return reference(get_encoder(), database_terms())


def _candidates(
    user: Any,
    exclude_country: str | None,
    countries: Sequence[str] | None,
    stages: Sequence[str],
    evidence_levels: Sequence[str],
) -> Any:
    qs = INITIATIVES.queryset(user)
    if exclude_country:
        qs = qs.exclude(country__code=exclude_country.upper())
    if countries:
        qs = qs.filter(country__code__in=[c.upper() for c in countries])
    if stages:
        qs = qs.filter(stage__code__in=list(stages))
    if evidence_levels:
        qs = qs.filter(evidence_level__code__in=list(evidence_levels))
    return qs


def _tagged(ids: Sequence[int]) -> dict[int, set[str]]:
    """`vocabulary:code` of the concept terms each initiative is classified with."""
    out: dict[int, set[str]] = {}
    through = {
        f.vocabulary: getattr(Initiative, f.name).through
        for f in vocabulary_fields.fields_of(vocabulary_fields.INITIATIVE)
        if f.many and f.vocabulary in CONCEPT_VOCABULARIES
    }
    for key, model in through.items():
        for pk, code in model.objects.filter(initiative_id__in=list(ids)).values_list(
            "initiative_id", "term__code"
        ):
            out.setdefault(int(pk), set()).add(f"{key}:{code}")
    return out


def _with_terms(profiles: np.ndarray, rows: Sequence[set[str]], keys: list[str]) -> np.ndarray:
    """Concept profiles with the terms a record is classified with (or a need asks for)
    added: what the platform knows that the text alone does not."""
    position = {k: i for i, k in enumerate(keys)}
    out = np.array(profiles, dtype=np.float32, copy=True)
    for r, terms in enumerate(rows):
        hits = [position[t] for t in terms if t in position]
        if hits:
            out[r, hits] += 1.0 / np.sqrt(len(hits))
            out[r] /= np.linalg.norm(out[r]) or 1.0
    return out


def _subset(vs: VectorSet, rows: np.ndarray) -> VectorSet:
    """The documents at `rows` (with their passages), as a smaller VectorSet."""
    keep = np.isin(vs.owners, rows)
    new_row = {int(r): i for i, r in enumerate(rows)}
    return VectorSet(
        ids=vs.ids[rows],
        groups=vs.groups[rows],
        passages=vs.passages[keep],
        owners=np.asarray([new_row[int(o)] for o in vs.owners[keep]], dtype=np.int64),
        whole=vs.whole[rows],
        profiles=None if vs.profiles is None else vs.profiles[rows],
        stats=vs.stats,
    )


def find(
    text: str,
    *,
    k: int = 20,
    exclude_country: str | None = None,
    countries: Sequence[str] | None = None,
    stages: Sequence[str] = (),
    evidence_levels: Sequence[str] = (),
    terms: Sequence[str] = (),
    user: Any = None,
) -> FindResult:
    """Initiatives that answer a need, best first, as `user` may see them (None: anonymous,
    published records only). `terms` are `vocabulary:code` (or bare codes) the need is about.
    Raises `NeedError` for an empty need; a long one is cut, with a notice."""
    encoder = get_encoder()
    ref = current_reference()
    need = prepare_need(text, encoder, ref)
    notices = list(need.notices)
    candidates = _candidates(user, exclude_country, countries, stages, evidence_levels)
    allowed_ids = set(candidates.values_list("id", flat=True))
    if not allowed_ids:
        return FindResult([], need.language, " ".join(notices) or None)
    vectors = InitiativeEmbedding.objects.filter(model=encoder.name).values("initiative_id")
    missing = set(candidates.exclude(id__in=vectors).values_list("id", flat=True))
    if missing:
        notices.append(
            _("%(n)s initiatives are not embedded yet and are matched on their words only.")
            % {"n": len(missing)}
        )
    ann = None
    if store.stored_count(encoder.name) > settings.ANN_THRESHOLD:
        # Never built or rebuilt here (a worker does that): until then, exact search.
        ann = store.ann_index(encoder, ref, rebuild=False)
        if ann is None:
            tasks.queue_embedding()
    if ann is not None:
        vs = _approximate(need.vector, encoder, ann, ref, allowed_ids, k)
    else:
        snap = store.snapshot(encoder, ref)
        rows_kept = np.asarray(
            sorted(snap.row_of[i] for i in allowed_ids if i in snap.row_of), dtype=np.int64
        )
        vs = _subset(snap.vectors, rows_kept)
    row_of = {int(pk): r for r, pk in enumerate(vs.ids)}
    lexical_ids = lexical_side.rank(need.text, allowed_ids)
    lexical_rows = [row_of[i] for i in lexical_ids if i in row_of]
    profile = need.profile
    wanted_terms = {t if ":" in t else _term_key(t, ref) for t in terms}
    if profile is not None and len(vs.ids):
        tagged = _tagged([int(i) for i in vs.ids])
        if tagged:
            empty = np.zeros((len(vs.ids), len(ref.concept_keys)), dtype=np.float32)
            rows = [tagged.get(int(i), set()) for i in vs.ids]
            vs.profiles = _with_terms(empty, rows, ref.concept_keys)
        if wanted_terms:
            profile = _with_terms(profile[None, :], [wanted_terms], ref.concept_keys)[0]
    ranking = rank(need.vector, vs, lexical=lexical_rows, query_profile=profile, weights=WEIGHTS)
    hits = _hits(ranking, vs, k)
    if missing:
        # Not embedded yet: their rank by words stands in for the semantic one in the fusion,
        # so one that fits the need well still comes first.
        waiting = [
            Hit(
                pk,
                round((WEIGHTS.semantic + WEIGHTS.lexical) / (RRF_K + n), 6),
                0.0,
                None,
                n,
                None,
                "",
            )
            for n, pk in enumerate(lexical_ids, start=1)
            if pk in missing
        ]
        hits = sorted(hits + waiting, key=lambda h: -h.score)[:k]
    # Other lexical matches outside the candidates the vectors gave follow the fused ones.
    if len(hits) < k:
        seen = {h.initiative_id for h in hits}
        for n, pk in enumerate(lexical_ids, start=1):
            if pk not in seen and pk not in row_of and len(hits) < k:
                hits.append(Hit(pk, 0.0, 0.0, None, n, None, ""))
    return FindResult(hits, need.language, " ".join(notices) or None)


def _approximate(
    vector: np.ndarray,
    encoder: Any,
    ann: store.AnnIndex,
    ref: Reference,
    allowed_ids: set[int],
    k: int,
) -> VectorSet:
    """Candidates from the HNSW index (their vectors read back from the database), with
    calibration statistics from the index's sample. When the filters leave too few of the
    candidates, and the filtered set is small, it is searched exactly instead."""
    keys = ann.index.search(vector, ANN_CANDIDATES).keys
    cand = sorted({int(key) >> store.KEY_BITS for key in keys} & allowed_ids)
    if len(cand) < k and len(allowed_ids) <= EXACT_FALLBACK:
        cand = sorted(allowed_ids)
    rows = InitiativeEmbedding.objects.filter(model=encoder.name, initiative_id__in=cand)
    vs = store.load_rows(rows.values_list(*store.ROWS), ref, encoder.dim)
    vs.stats = ann.stats(vector, WEIGHTS.shrink)
    return vs


def _term_key(code: str, ref: Reference) -> str:
    return next((key for key in ref.concept_keys if key.split(":", 1)[1] == code), code)


def _hits(ranking: Any, vs: VectorSet, k: int) -> list[Hit]:
    top = ranking.order[:k]
    ids = [int(vs.ids[r]) for r in top]
    texts = dict(Initiative.objects.filter(id__in=ids).values_list("id", "title"))
    descriptions = dict(Initiative.objects.filter(id__in=ids).values_list("id", "description"))
    firsts = {int(o): i for i, o in reversed(list(enumerate(vs.owners)))}
    hits = []
    for r, pk in zip(top, ids, strict=True):
        z = float(ranking.semantic[r])
        number = (
            int(ranking.best_passage[r] - firsts.get(r, 0))
            if ranking.best_passage is not None
            else 0
        )
        pieces = passages(texts.get(pk, ""), descriptions.get(pk, ""))
        hits.append(
            Hit(
                initiative_id=pk,
                score=round(float(ranking.fused[r]), 6),
                similarity=round(to_unit(z), 4) if np.isfinite(z) else 0.0,
                semantic=round(z, 4) if np.isfinite(z) else None,
                lexical_rank=ranking.lexical_rank.get(r),
                concept=None if ranking.concept is None else round(float(ranking.concept[r]), 4),
                passage=pieces[min(max(number, 0), len(pieces) - 1)],
            )
        )
    return hits


# --- index status and rebuild (API and CLI) -----------------------------------------------


def index_status() -> dict[str, Any]:
    """Vectors stored, initiatives without a current embedding, model, and whether the
    approximate index is in use and in step with the database."""
    encoder_name = settings.ENCODER

    model = E5_NAME if encoder_name == "e5" else get_encoder().name
    stored = store.stored_count(model)
    total = Initiative.objects.count()
    uses_ann = stored > settings.ANN_THRESHOLD
    return {
        "model": model,
        "initiatives": total,
        "embedded": stored,
        "missing": max(total - stored, 0),
        "pending": pending_count(model=model),
        "approximate": uses_ann,
        "threshold": settings.ANN_THRESHOLD,
        "index_in_step": store.in_step(model),
    }


def rebuild(user: Any = None) -> Job:
    """Queue the embedding of whatever is missing or stale (every text is checked) and the
    rebuild of the approximate index when it is used, for a worker."""
    return jobs.start(
        tasks.embed_initiatives,
        label=_("Check every embedding and rebuild the matching index"),
        user=user,
        key="embed-rebuild",
        check_all=True,
        rebuild_index=True,
    )
