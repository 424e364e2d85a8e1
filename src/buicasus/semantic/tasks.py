"""Embedding as a background task: no request ever encodes a document.

The change event marks initiatives whose text is new or changed (`signals`), and one task
embeds every initiative without a current embedding, in batches that each commit on their own
(a task cut short keeps what it finished and the next one goes on from there, so it is safe to
retry). It then brings the approximate index in step when it is used, and warms the vocabulary
reference, so the web process finds both ready.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buicasus.jobs import services as jobs
from buicasus.jobs.models import Job
from buicasus.jobs.runner import Progress, background
from buicasus.registry.models import Initiative
from buicasus.semantic import store
from buicasus.semantic.embeddings import BATCH, ensure_embeddings, pending_ids
from buicasus.semantic.encoders import get_encoder
from buicasus.semantic.reference import database_terms, reference

KEY = "embed"
ROUNDS = 5  # initiatives written while the task runs are taken in further rounds, this often


@background(kind="embed", retries=3)
def embed_initiatives(
    progress: Progress,
    check_all: bool = False,
    batch_size: int = BATCH,
    rebuild_index: bool = False,
) -> dict[str, Any]:
    """Embed the initiatives waiting for it (`check_all`: check every initiative's text);
    then the approximate index, when used, is brought in step (`rebuild_index`: rebuilt)."""
    encoder = get_encoder()
    progress.step(_("Preparing the vocabulary reference"))
    ref = reference(encoder, database_terms())
    ids = (
        list(Initiative.objects.order_by("id").values_list("id", flat=True))
        if check_all
        else pending_ids(encoder.name)
    )
    checked = computed = 0
    seen: set[int] = set()
    for _round in range(ROUNDS):
        todo = [i for i in ids if i not in seen]
        if not todo:
            break
        progress.set_total(checked + len(todo), step=_("Embedding initiatives for matching"))
        progress.advance(checked)
        computed += ensure_embeddings(
            todo, batch_size=batch_size, progress=progress.advance, encoder=encoder
        )
        checked += len(todo)
        seen.update(todo)
        ids = pending_ids(encoder.name)
    if store.stored_count(encoder.name) > settings.ANN_THRESHOLD:
        progress.step(_("Bringing the matching index in step"))
        if rebuild_index:
            store.rebuild_index(encoder, ref)
        else:
            store.ann_index(encoder, ref)
    message = ngettext(
        "%(n)s initiative embedded for matching.",
        "%(n)s initiatives embedded for matching.",
        computed,
    ) % {"n": computed}
    return {"message": message, "computed": computed, "checked": checked}


def queue_embedding(user: Any = None) -> Job:
    """Have a worker embed what is waiting (one job waits at a time: more changes join it)."""
    return jobs.start(
        embed_initiatives, label=_("Embed initiatives for matching"), user=user, key=KEY
    )


def embedding_job() -> Job | None:
    """The embedding job waiting or running, if any (for status lines)."""
    return (
        Job.objects.filter(kind="embed", status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .order_by("created_at")
        .first()
    )
