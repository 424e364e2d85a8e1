"""One import run: canonical records in, a report out, the registry changed all or nothing.

Consistency: the whole run is ONE transaction. Records are read, validated and written in
chunks (a few thousand at a time, so memory stays flat), but all chunks share the transaction:
when a row turns out invalid after earlier chunks were written (and invalid rows are not to be
skipped), or the file turns out unreadable at row 900,000, everything is rolled back and the
registry is as before. Resumable batches would save re-reading a huge file after a failure, but
would leave a half-imported source visible between batches and make "nothing written unless
all is valid" impossible to keep; a million rows take about a minute, so one transaction wins.
On SQLite the run holds the write lock throughout (it writes the batch row first); dry runs
write nothing and take no lock.

Per chunk: each record is admitted (kind, source id, content hash, duplicates in the file),
looked up among the source's earlier records, skipped when its hash is unchanged, validated
(`validation.Validator`), checked for permission (editor of the record's country) and for
identifiers owned by other records, diffed against the registry when it exists, and written
(`writer.Writer`). Records of a row with any problem are all invalid together, so a row is
imported whole or not at all. Roles, ties and `replicated_from` links are kept until every
organisation and initiative is in, then resolved (`relations`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from buicasus.accounts import permissions
from buicasus.importer.models import ImportBatch
from buicasus.importer.records import INITIATIVE, KINDS, ORGANISATION, ROLE, TIE, content_hash
from buicasus.importer.validation import Lookups, Validator
from buicasus.importer.writer import Item, Writer
from buicasus.registry.models import OrganisationIdentifier

CHUNK_RECORDS = 2000
MAX_SOURCE_ID = 200
Problem = tuple[int, str, str]  # (row, field, message)


@dataclass
class Seen:
    """What the run remembers of each record it admitted (for duplicates and references)."""

    row: int
    digest: str
    valid: bool | None = None
    country: str | None = None


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    batch_id: int | None
    source: str
    dry_run: bool = False
    skip_invalid: bool = False
    status: str = ""
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0  # rows with a problem
    rows: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    invalid_rows: list[Problem] = field(default_factory=list)
    rejects_path: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        """The headline counts: new, updated, unchanged records and invalid rows."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }

    @property
    def rate(self) -> float:
        """Rows per second."""
        return self.rows / self.seconds if self.seconds else 0.0


def chunked(records: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Chunks of about `size` records, never splitting the records of one row."""
    chunk: list[dict[str, Any]] = []
    for record in records:
        if len(chunk) >= size and record.get("row") != chunk[-1].get("row"):
            yield chunk
            chunk = []
        chunk.append(record)
    if chunk:
        yield chunk


class Run:
    """State of one import; `services.import_records` drives it."""

    def __init__(
        self,
        batch: ImportBatch,
        *,
        user: Any,
        dry_run: bool,
        skip_invalid: bool,
        progress: Any = None,
    ) -> None:
        self.batch, self.user = batch, user
        self.source, self.licence = batch.source_name, batch.licence
        self.dry_run, self.skip_invalid = dry_run, skip_invalid
        self.now = timezone.now()
        self.lookups = Lookups.load()
        self.validator = Validator(self.lookups)
        self.writer = Writer(
            connection,
            now=self.now,
            user_id=getattr(user, "pk", None),
            batch_id=batch.pk,
            source=self.source,
            licence=self.licence,
            lookups=self.lookups,
        )
        self.writing = not dry_run
        self.progress = progress
        self.seen: dict[str, dict[str, Seen]] = {kind: {} for kind in KINDS}
        self.id_owner: dict[tuple[int, str], tuple[str, str]] = {}
        self.problems: list[Problem] = []
        self.originals: dict[int, dict[str, Any]] = {}
        self.bad_rows: set[int] = set()
        self.deferred: list[Item] = []
        self.links: list[tuple[Item, str]] = []
        # Relationships made in this run: (end, end, type) → registry id (None: not written).
        self.triples: dict[str, dict[tuple[Any, Any, Any], int | None]] = {ROLE: {}, TIE: {}}
        self.counts: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
        self.rows = 0
        self._last_row: object = object()
        self._sequence = 0
        self.started = time.perf_counter()

    # --- bookkeeping --------------------------------------------------------------------------

    def may_edit(self, country: str | None) -> bool:
        return self.user is None or permissions.can_edit(self.user, country)

    def refuse_country(self, country: str) -> str:
        return _("You may not edit records of %(country)s.") % {"country": country}

    def fail(self, item: Item, name: str, message: str) -> None:
        item.cleaned.errors.append((name, message))

    def problem(self, row: int, name: str, message: str, record: dict[str, Any]) -> None:
        """A problem with a row: listed in the report, the row rejected. A row of one part of
        a multi-part file (`core.part_rows.PartRow`) names its part before the field."""
        part = getattr(row, "part", "")
        if part:
            name = f"{part}: {name}" if name else part
        self.problems.append((row, name, message))
        self.bad_rows.add(row)
        if row not in self.originals:
            self.originals[row] = record.get("original") or _flat(record)
        if not self.skip_invalid:
            self.writing = False

    # --- admission ----------------------------------------------------------------------------

    def admit(self, record: dict[str, Any]) -> Item | None:
        """Shape, id and duplicate checks; None when the record goes no further."""
        if not isinstance(record, dict):
            self._sequence += 1
            self.rows += 1
            message = _("A record must be an object (a dict), not %(type)s.")
            self.problem(self._sequence, "", message % {"type": type(record).__name__}, {})
            return None
        row = record.get("row")
        if not isinstance(row, int):
            self._sequence += 1
            row = self._sequence
        if row != self._last_row:
            self._last_row = row
            self.rows += 1
        kind = record.get("kind")
        if kind not in KINDS:
            message = _("Unknown record kind “%(kind)s”; use %(kinds)s.") % {
                "kind": kind,
                "kinds": ", ".join(KINDS),
            }
            self.problem(row, "kind", message, record)
            return None
        source_id = record.get("source_id")
        if isinstance(source_id, int) and not isinstance(source_id, bool):
            source_id = str(source_id)
        if not isinstance(source_id, str) or not source_id.strip():
            self.problem(row, "source_id", _("The record has no id in its source."), record)
            self.counts[kind]["invalid"] += 1
            return None
        if len(source_id) > MAX_SOURCE_ID:
            message = _("The id in the source is longer than %(n)s characters.") % {
                "n": MAX_SOURCE_ID
            }
            self.problem(row, "source_id", message, record)
            self.counts[kind]["invalid"] += 1
            return None
        digest = content_hash(record)
        prior = self.seen[kind].get(source_id)
        if prior is not None:
            if prior.digest == digest[:16] or record.get("on_duplicate") == "first":
                self.counts[kind]["repeated"] += 1
                return None
            message = _("Duplicate id “%(id)s”: row %(row)s has the same id with other values.")
            self.problem(row, "source_id", message % {"id": source_id, "row": prior.row}, record)
            self.counts[kind]["invalid"] += 1
            return None
        self.seen[kind][source_id] = Seen(row, digest[:16])
        item = Item(record, kind, source_id, row, digest)
        for problem in record.get("errors") or []:
            name, message = (problem[0], problem[1]) if len(problem) > 1 else ("", problem[0])
            item.cleaned.errors.append((str(name), str(message)))
        return item

    # --- a chunk of records -------------------------------------------------------------------

    def chunk(self, records: list[dict[str, Any]]) -> None:
        rows_before = self.rows
        items: dict[str, list[Item]] = {ORGANISATION: [], INITIATIVE: []}
        for record in records:
            item = self.admit(record)
            if item is None:
                continue
            if item.kind in (ROLE, TIE):
                self.deferred.append(item)
            else:
                items[item.kind].append(item)
        for kind, kind_items in items.items():
            if kind_items:
                self.check(kind, kind_items)
        everything = items[ORGANISATION] + items[INITIATIVE]
        for item in everything:
            for name, message in item.cleaned.errors:
                self.problem(item.row, name, message, item.record)
        for item in everything:
            seen = self.seen[item.kind][item.source_id]
            seen.valid = item.row not in self.bad_rows
            if not seen.valid:
                item.outcome = "invalid"
            seen.country = item.cleaned.country or _country_code(item.record)
            self.counts[item.kind][item.outcome] += 1
            target = item.record.get("replicated_from")
            if item.kind == INITIATIVE and seen.valid and target not in (None, ""):
                if (
                    item.outcome != "unchanged"
                    or item.existing is None
                    or (item.existing.content_hash != item.content_hash)
                ):
                    self.links.append((item, str(target)))
        if self.writing:
            for kind, kind_items in items.items():
                self.write(kind, kind_items)
            self.writer.audit.flush()
        if self.progress is not None:
            self.progress.update(self.rows - rows_before)

    def check(self, kind: str, items: list[Item]) -> None:
        """Validate, check permission, and diff existing records of one kind."""
        existing = self.writer.existing(kind, [item.source_id for item in items])
        validate = (
            self.validator.organisation if kind == ORGANISATION else self.validator.initiative
        )
        updates = []
        for item in items:
            item.existing = existing.get(item.source_id)
            if (
                item.existing is not None
                and item.existing.content_hash == item.content_hash
                and not item.cleaned.errors
            ):
                item.outcome = "unchanged"
                continue
            upstream = item.cleaned.errors
            item.cleaned = validate(item.record, new=item.existing is None)
            merge_upstream(item, upstream)
            country = item.cleaned.country
            if country and not self.may_edit(country):
                self.fail(item, "country", self.refuse_country(country))
            if item.existing is None:
                item.outcome = "new"
            else:
                updates.append(item)
        if kind == ORGANISATION:
            self.check_identifiers([i for i in items if i.cleaned.identifiers])
        if updates:
            self.writer.load_current(kind, updates)
            for item in updates:
                code = self.lookups.country_codes.get(item.current.get("country_id", 0), "")
                if not self.may_edit(code):
                    self.fail(item, "country", self.refuse_country(code))
                self.writer.diff(kind, item)
                item.outcome = "updated" if item.changes else "unchanged"

    def check_identifiers(self, items: list[Item]) -> None:
        """An identifier may belong to one organisation only: in this file and in the registry."""
        wanted: dict[int, dict[str, list[Item]]] = {}
        for item in items:
            name = str(item.cleaned.values.get("name", ""))
            for scheme_id, value in item.cleaned.identifiers or []:
                owner = self.id_owner.get((scheme_id, value))
                if owner is not None and owner[0] != item.source_id:
                    self.fail(item, "identifiers", self.owned(scheme_id, value, owner[1]))
                    continue
                self.id_owner[(scheme_id, value)] = (item.source_id, name)
                wanted.setdefault(scheme_id, {}).setdefault(value, []).append(item)
        for scheme_id, by_value in wanted.items():
            values = list(by_value)
            for start in range(0, len(values), 900):
                hits = OrganisationIdentifier.objects.filter(
                    scheme_id=scheme_id, value__in=values[start : start + 900]
                ).values_list("value", "organisation_id", "organisation__name")
                for value, org_id, name in hits:
                    for item in by_value[value]:
                        if item.existing is None or item.existing.record_id != org_id:
                            self.fail(item, "identifiers", self.owned(scheme_id, value, name))

    def owned(self, scheme_id: int, value: str, name: str) -> str:
        return _("%(scheme)s %(value)s already belongs to “%(name)s”.") % {
            "scheme": self.lookups.codes.get(scheme_id, scheme_id),
            "value": value,
            "name": name,
        }

    def write(self, kind: str, items: list[Item]) -> None:
        created = [i for i in items if i.outcome == "new"]
        self.writer.create(kind, created)
        updated = [
            i
            for i in items
            if i.existing is not None
            and i.outcome in ("updated", "unchanged")
            and i.existing.content_hash != i.content_hash
        ]
        self.writer.update(kind, updated)

    # --- the end ------------------------------------------------------------------------------

    def report(self) -> ImportReport:
        totals: Counter[str] = Counter()
        for kind in KINDS:
            totals.update(self.counts[kind])
        return ImportReport(
            batch_id=self.batch.pk,
            source=self.source,
            dry_run=self.dry_run,
            skip_invalid=self.skip_invalid,
            new=totals["new"],
            updated=totals["updated"],
            unchanged=totals["unchanged"] + totals["linked"],
            invalid=len(self.bad_rows),
            rows=self.rows,
            by_kind={k: {c: n for c, n in v.items() if n} for k, v in self.counts.items() if +v},
            invalid_rows=sorted(self.problems, key=lambda p: p[0]),
            seconds=time.perf_counter() - self.started,
        )


def merge_upstream(item: Item, upstream: list[tuple[str, str]]) -> None:
    """Problems found by the mapping come first; the validator's about the same field (a value
    the mapping could not produce is also "required") are left out."""
    if upstream:
        named = {name for name, _message in upstream}
        own = [(n, m) for n, m in item.cleaned.errors if n not in named]
        item.cleaned.errors = [*upstream, *own]


def _country_code(record: dict[str, Any]) -> str | None:
    fields = record.get("fields")
    value = fields.get("country") if isinstance(fields, dict) else None
    return str(value) if value else None


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A canonical record as one flat row, for the rejects file when no source row is known."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key in ("row", "errors", "original"):
            continue
        if key == "fields" and isinstance(value, dict):
            out.update(value)
        else:
            out[key] = value
    return out
