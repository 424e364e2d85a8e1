"""Stored embeddings of initiatives: one row per initiative, recomputed only when its text or
the encoder changes (`text_hash`, `model`)."""

from __future__ import annotations

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _

from buicasus.core.encoder import Vectors
from buicasus.registry.models import Initiative


class InitiativeEmbedding(models.Model):
    """The vectors of an initiative's passages (`passages.passages`: the whole text first,
    then pieces of a long description), as float32 bytes, with the text fingerprint and
    language they were made from."""

    initiative = models.OneToOneField(
        Initiative,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="embedding",
        verbose_name=_("initiative"),
    )
    model = models.CharField(_("model"), max_length=64)
    text_hash = models.CharField(_("text fingerprint"), max_length=64)
    language = models.CharField(_("language"), max_length=12, blank=True)
    chars = models.PositiveIntegerField(_("characters"), default=0)
    passage_count = models.PositiveSmallIntegerField(_("passages"), default=1)
    vectors = models.BinaryField(_("vectors"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("initiative embedding")
        verbose_name_plural = _("initiative embeddings")

    def __str__(self) -> str:
        return f"{self.initiative_id} ({self.model}, {self.passage_count})"

    def matrix(self, dim: int) -> Vectors:
        """The passage vectors as a (passages, dim) float32 array."""
        return np.frombuffer(bytes(self.vectors), dtype=np.float32).reshape(-1, dim)
