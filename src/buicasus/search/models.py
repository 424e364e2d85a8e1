"""The search index: one document per organisation or initiative, kept beside the registry.

Why this shape: a record's single-valued facet codes (kind, country, review state, actor type,
stage, evidence level) and its content languages are stored once per distinct *combination*
(`SearchCombo`), and the combination's number is packed into the low 24 bits of the document
id, which is also the full-text row id. Counting those facets over a match set is then a GROUP
BY on `id & 0xFFFFFF` straight off the full-text index, with no lookup per matching row, and
every facet's count under any filters follows from the few combination counts in Python.
Multi-valued facets (policy fields, SDGs, ESF+ objectives, funds), whose sets would multiply
the combinations, and regions are *tags*: numbered values (`SearchTagName`) in a narrow table of
(document, tag) pairs. A region is tagged with its ancestors too, so it counts its descendants.

The full-text part is created by the migration, per database: an FTS5 table `search_fts` on
SQLite, a `tsv tsvector` column with a GIN index on PostgreSQL (see `backends.py`).
"""

from __future__ import annotations

from django.db import models

COMBO_BITS = 24
COMBO_MASK = (1 << COMBO_BITS) - 1
KIND_CODES = {"organisation": 0, "initiative": 1}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}


class SearchCombo(models.Model):
    """A distinct combination of facet codes; `n` counts the documents that carry it.

    Languages are stored as space-separated sorted codes. Rows are never changed or deleted,
    only their counts, so a combination's number keeps its meaning for good.
    """

    key = models.CharField(max_length=64, unique=True)  # sha1 of the codes
    kind = models.PositiveSmallIntegerField()
    country = models.CharField(max_length=2)
    published = models.BooleanField()
    review_status = models.CharField(max_length=16)
    actor_type = models.CharField(max_length=64, blank=True)
    stage = models.CharField(max_length=64, blank=True)
    evidence_level = models.CharField(max_length=64, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    n = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"combination {self.pk} ({self.n})"


class SearchDocument(models.Model):
    """One indexed record. `id` = (sequence << 24) | combination; the sequence is given when
    a record is first indexed and kept, so ordering by id is ordering by age."""

    id = models.BigAutoField(primary_key=True)
    combo = models.BigIntegerField()
    kind = models.PositiveSmallIntegerField()
    record_id = models.BigIntegerField()
    sort_key = models.CharField(max_length=100)
    created_by_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="search_doc_record"),
        ]
        indexes = [
            models.Index(fields=["combo", "id"], name="search_doc_combo"),
            models.Index(fields=["created_by_id"], name="search_doc_creator"),
        ]

    def __str__(self) -> str:
        return f"{KIND_NAMES.get(self.kind, '?')} {self.record_id}"


class SearchTagName(models.Model):
    """A value of a multi-valued facet (`facet` numbers: `facets.TAGS`), named once so that
    documents carry a small number; like combinations, never changed or deleted. Regions have
    their `parent` (next level up, empty for NUTS 1)."""

    facet = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=64)
    parent = models.CharField(max_length=5, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "code"], name="search_tag_name_key"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}:{self.code}"


class SearchTag(models.Model):
    """A document carries a tag (a region comes with each of its ancestors)."""

    doc_id = models.BigIntegerField()
    tag = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["doc_id", "tag"], name="search_tag_doc"),
            models.Index(fields=["tag", "doc_id"], name="search_tag_tag"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.tag}"


class SearchTagCount(models.Model):
    """Documents per (combination, tag), so browsing without words counts tags from a few
    rows instead of the whole index."""

    combo = models.BigIntegerField()
    tag = models.BigIntegerField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["combo", "tag"], name="search_tag_count_key"),
        ]
        indexes = [models.Index(fields=["tag", "combo"], name="search_tcount_tag")]

    def __str__(self) -> str:
        return f"{self.tag}: {self.n}"


class SearchState(models.Model):
    """Small named values; `generation` changes whenever combinations are added, so each
    process knows when to reload its copy of them."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


# Table names for the raw SQL of the backends, indexing and the search service, read once.
DOC = SearchDocument._meta.db_table
TAG = SearchTag._meta.db_table
TAG_COUNT = SearchTagCount._meta.db_table
