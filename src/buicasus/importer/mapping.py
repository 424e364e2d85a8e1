"""Mapping files: how the rows of a table become canonical records (docs/import-format.md).

A mapping is compiled once (field specs in `mapping_values`), so a row costs a few dict lookups
per field. Mistakes in the mapping itself (an unknown key, a map that does not exist, a bad
template or pattern) stop the import before any row is read, naming the mapping file and the
place in it. A required column missing from the file's header stops it too, naming the file,
row 1 and the column. Problems of single rows (an unmapped value, a malformed date or amount,
an empty required cell) do not stop anything: the record carries `errors` naming the column
and the value, and the importer rejects its row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from buicasus import limits
from buicasus.core.parsing import clean_text, is_blank
from buicasus.importer.errors import ImportFailure, refusals
from buicasus.importer.mapping_values import (
    CellProblem,
    MappingError,
    Maps,
    PatternTooSlow,
    Value,
    compile_ref,
    compile_value,
    unknown_key,
)
from buicasus.importer.records import FIELDS, INITIATIVE, KINDS, ORGANISATION, ROLE, TIE

MAPPINGS_DIR = Path(__file__).parent / "mappings"
_COMMON = {"kind", "source_id", "when", "for_each", "repeats", "on_duplicate", "missing"}
RECORD_KEYS = {
    ORGANISATION: _COMMON | {"fields", "identifiers", "translations"},
    INITIATIVE: _COMMON | {"fields", "fundings", "translations", "replicated_from"},
    ROLE: _COMMON | {"organisation", "initiative", "role", "start_date", "end_date"},
    TIE: _COMMON | {"source", "target", "tie_type", "start_date", "end_date"},
}
REFS = {ROLE: ("organisation", "initiative", "role"), TIE: ("source", "target", "tie_type")}


@dataclass
class RecordSpec:
    """How one row becomes canonical records of one kind (one, or one per `for_each` item)."""

    kind: str
    source_id: Value
    when: Value | None = None
    for_each: Value | None = None
    values: dict[str, Value] = field(default_factory=dict)  # fields; a relationship's type, dates
    refs: dict[str, Value] = field(default_factory=dict)  # relationship ends, replicated_from
    identifiers: list[tuple[Value, Value, Value | None]] = field(default_factory=list)
    fundings: list[tuple[dict[str, Value], Value | None]] = field(default_factory=list)
    translations: dict[str, dict[str, Value]] = field(default_factory=dict)
    repeats: str = "error"
    missing: str = "error"

    def values_read(self) -> Iterator[Value]:
        yield self.source_id
        for optional in (self.when, self.for_each):
            if optional is not None:
                yield optional
        yield from self.values.values()
        yield from self.refs.values()
        for scheme, value, when in self.identifiers:
            yield from (scheme, value, *([when] if when else []))
        for funding, when in self.fundings:
            yield from (*funding.values(), *([when] if when else []))
        for attrs in self.translations.values():
            yield from attrs.values()


def _columns(value: Value) -> set[str]:
    found = set(value.columns)
    if value.template is not None:
        found.update(value.template.columns)
    for alternative in value.alternatives:
        found.update(_columns(alternative))
    return found


def _needed(spec: RecordSpec) -> list[list[str]]:
    """Columns the file must have: the id's, and one of each required value's."""
    needed = [[c] for c in sorted(_columns(spec.source_id)) if c != "item"]
    for value in spec.values.values():
        if value.required and value.default is None and value.columns:
            needed.append(value.columns)
        elif value.required and value.default is None and value.template is not None:
            needed += [[c] for c in value.template.columns if c != "item"]
    return needed


def _compile_record(spec: Any, index: int, maps: Maps) -> RecordSpec:
    where = f"records[{index}]"
    if not isinstance(spec, dict) or spec.get("kind") not in KINDS:
        raise MappingError(
            where, _("Needs a kind: one of %(kinds)s.") % {"kinds": ", ".join(KINDS)}
        )
    kind = spec["kind"]
    unknown = set(spec) - RECORD_KEYS[kind]
    if unknown:
        raise MappingError(where, unknown_key(sorted(unknown)[0]))
    if "source_id" not in spec:
        raise MappingError(where, _("Needs a source_id template, such as “{id}”."))
    record = RecordSpec(kind, compile_ref(spec["source_id"], f"{where}.source_id", maps))
    if spec.get("when"):
        record.when = compile_ref(spec["when"], f"{where}.when", maps)
    if spec.get("for_each"):
        record.for_each = compile_value(spec["for_each"], f"{where}.for_each", maps)
    record.repeats = str(spec.get("repeats") or spec.get("on_duplicate") or "error")
    record.missing = str(spec.get("missing") or "error")
    if record.repeats not in ("error", "first"):
        raise MappingError(f"{where}.repeats", _("Use error or first."))
    if record.missing not in ("error", "skip"):
        raise MappingError(f"{where}.missing", _("Use error or skip."))
    if kind in FIELDS:
        _compile_fields(record, spec, where, maps)
        return record
    for key in REFS[kind][:2]:
        if key not in spec:
            raise MappingError(where, _needs(kind, key))
        record.refs[key] = compile_ref(spec[key], f"{where}.{key}", maps)
    type_key = REFS[kind][2]
    if type_key not in spec:
        raise MappingError(where, _needs(kind, type_key))
    record.values[type_key] = compile_value(spec[type_key], f"{where}.{type_key}", maps)
    for key in ("start_date", "end_date"):
        if key in spec:
            date = spec[key] if isinstance(spec[key], dict) else {"value": spec[key]}
            record.values[key] = compile_value({"type": "date", **date}, f"{where}.{key}", maps)
    return record


def _needs(kind: str, key: str) -> str:
    return _("A %(kind)s needs %(key)s.") % {"kind": kind, "key": key}


def _compile_fields(record: RecordSpec, spec: dict[str, Any], where: str, maps: Maps) -> None:
    fields = spec.get("fields") or {}
    if not isinstance(fields, dict):
        raise MappingError(f"{where}.fields", _("Must be a mapping of fields to specs."))
    for name, field_spec in fields.items():
        if name not in FIELDS[record.kind]:
            raise MappingError(
                f"{where}.fields",
                _("“%(name)s” is not a field of a %(kind)s.") % {"name": name, "kind": record.kind},
            )
        record.values[name] = compile_value(field_spec, f"{where}.fields.{name}", maps)
    for lang, attrs in (spec.get("translations") or {}).items():
        record.translations[str(lang)] = {
            str(a): compile_value(s, f"{where}.translations.{lang}.{a}", maps)
            for a, s in (attrs or {}).items()
        }
    for i, ident in enumerate(spec.get("identifiers") or []):
        at = f"{where}.identifiers[{i}]"
        if not isinstance(ident, dict) or "scheme" not in ident:
            raise MappingError(at, _("Needs a scheme and a value spec."))
        rest = {k: v for k, v in ident.items() if k not in ("scheme", "when")}
        when = compile_ref(ident["when"], f"{at}.when", maps) if ident.get("when") else None
        record.identifiers.append(
            (compile_value(ident["scheme"], at, maps), compile_value(rest, at, maps), when)
        )
    for i, funding in enumerate(spec.get("fundings") or []):
        at = f"{where}.fundings[{i}]"
        if not isinstance(funding, dict) or "source" not in funding:
            raise MappingError(at, _("Needs a source (and optionally amount and currency)."))
        unknown = set(funding) - {"source", "amount", "currency", "when"}
        if unknown:
            raise MappingError(at, unknown_key(sorted(unknown)[0]))
        when = compile_ref(funding["when"], f"{at}.when", maps) if funding.get("when") else None
        parts = {k: compile_value(v, f"{at}.{k}", maps) for k, v in funding.items() if k != "when"}
        record.fundings.append((parts, when))
    if spec.get("replicated_from"):
        record.refs["replicated_from"] = compile_ref(
            spec["replicated_from"], f"{where}.replicated_from", maps
        )


@dataclass
class Join:
    """A left join on another file of the same folder: its columns as `<name>.<column>`."""

    name: str
    file: str
    key: str
    on: Value
    table: dict[str, dict[str, Any]] | None = None


@dataclass
class Mapping:
    """A compiled mapping file."""

    name: str
    source: str
    licence: str
    format: dict[str, Any]
    defaults: dict[str, Any]
    records: list[RecordSpec]
    joins: list[Join] = field(default_factory=list)
    path: str = ""

    def check_columns(self, columns: list[str] | None, file_name: str) -> list[str]:
        """Refuse a file without a required column; note the optional ones it lacks."""
        if columns is None:
            return []
        have = set(columns) | set(self.defaults) | {"item"}
        joined = tuple(f"{j.name}." for j in self.joins)
        for spec in self.records:
            for alternatives in _needed(spec):
                if not have.intersection(alternatives) and not alternatives[0].startswith(joined):
                    raise ImportFailure(
                        _("The required column “%(column)s” is missing (mapping %(mapping)s).")
                        % {"column": " / ".join(alternatives), "mapping": self.name},
                        file=file_name,
                        row=1,
                        field=alternatives[0],
                    )
        read = set().union(*(_columns(v) for s in self.records for v in s.values_read()))
        absent = sorted(c for c in read - have if not c.startswith(joined))
        return [
            _("Column “%(column)s” is not in the file; its values stay empty.") % {"column": c}
            for c in absent
        ]

    def load_joins(self, folder: Path, read: Any) -> None:
        """Read each joined file (with `read(path) -> rows`) into a key → row table."""
        for join in self.joins:
            path = folder / join.file
            table: dict[str, dict[str, Any]] = {}
            for _number, row in read(path):
                key = clean_text(row.get(join.key))
                if key and key not in table:
                    table[key] = row
            join.table = table

    def records_of(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        for row_number, row in rows:
            try:
                found = self.apply(row_number, row)
            except PatternTooSlow as exc:
                raise ImportFailure(
                    _(
                        "The pattern took longer than %(ms)s ms on this row's value, so the "
                        "import stopped (setting BUICASUS_MAPPING_REGEX_TIMEOUT_MS); simplify "
                        "the pattern in mapping %(mapping)s."
                    )
                    % {"ms": f"{exc.seconds * 1000:g}", "mapping": self.path or self.name},
                    row=row_number,
                    field=exc.where,
                ) from None
            yield from found

    def apply(self, row_number: int, row: dict[str, Any]) -> list[dict[str, Any]]:
        """The canonical records of one row (problems inside them, never raised)."""
        original = row
        for join in self.joins:
            try:
                key = clean_text(join.on(row, self.defaults))
            except CellProblem:
                key = ""
            found = (join.table or {}).get(key) or {}
            row = {**row, **{f"{join.name}.{k}": v for k, v in found.items()}}
        out = []
        for spec in self.records:
            try:
                if spec.when is not None and is_blank(spec.when(row, self.defaults)):
                    continue
                items = spec.for_each(row, self.defaults) if spec.for_each else None
            except CellProblem as exc:
                out.append(self._broken(spec, row_number, original, exc.message))
                continue
            if items is None:
                out.append(self.record(spec, row_number, row, original))
                continue
            for item in items if isinstance(items, list) else [items]:
                out.append(self.record(spec, row_number, {**row, "item": item}, original))
        return out

    def _broken(
        self, spec: RecordSpec, row_number: int, row: dict[str, Any], message: str
    ) -> dict[str, Any]:
        return {
            "kind": spec.kind,
            "source_id": "",
            "row": row_number,
            "errors": [["", message]],
            "original": row,
        }

    def record(
        self, spec: RecordSpec, row_number: int, row: dict[str, Any], original: dict[str, Any]
    ) -> dict[str, Any]:
        errors: list[list[str]] = []

        def get(value: Value, name: str) -> Any:
            try:
                return value(row, self.defaults)
            except CellProblem as exc:
                errors.append([name, exc.message])
                return None

        source_id = clean_text(get(spec.source_id, "source_id"))
        if not source_id and not errors:
            columns = ", ".join(sorted(_columns(spec.source_id)))
            errors.append(["source_id", _("column “%(column)s” is empty.") % {"column": columns}])
        record: dict[str, Any] = {"kind": spec.kind, "source_id": source_id, "row": row_number}
        if spec.kind in FIELDS:
            self._fields(spec, record, row, get)
        else:
            for key, value in spec.refs.items():
                record[key] = clean_text(get(value, key))
            for name, value in spec.values.items():
                record[name] = get(value, name)
        if spec.repeats != "error":
            record["on_duplicate"] = spec.repeats
        if spec.missing != "error":
            record["missing"] = spec.missing
        if errors:
            record["errors"] = errors
        record["original"] = original
        return record

    def _fields(
        self, spec: RecordSpec, record: dict[str, Any], row: dict[str, Any], get: Any
    ) -> None:
        fields = {name: get(value, name) for name, value in spec.values.items()}
        for name, default in self.defaults.items():
            if name in FIELDS[spec.kind] and is_blank(fields.get(name)):
                fields[name] = default
        if spec.translations:
            texts: dict[str, dict[str, Any]] = {}
            for lang, attrs in spec.translations.items():
                for attr, value in attrs.items():
                    text = get(value, "translations")
                    if not is_blank(text):
                        texts.setdefault(lang, {})[attr] = text
            fields["translations"] = texts
        record["fields"] = fields
        if spec.identifiers:
            identifiers = []
            for scheme, value, when in spec.identifiers:
                if when is not None and is_blank(get(when, "identifiers")):
                    continue
                found = get(value, "identifiers")
                if not is_blank(found):
                    identifiers.append(
                        {"scheme": get(scheme, "identifiers"), "value": clean_text(found)}
                    )
            record["identifiers"] = identifiers
        if spec.fundings:
            fundings = []
            for parts, when in spec.fundings:
                if when is not None and is_blank(get(when, "fundings")):
                    continue
                source = get(parts["source"], "fundings")
                if is_blank(source):
                    continue
                item = {"source": source}
                for key in ("amount", "currency"):
                    if key in parts:
                        item[key] = get(parts[key], "fundings")
                fundings.append(item)
            record["fundings"] = fundings
        if "replicated_from" in spec.refs:
            target = clean_text(get(spec.refs["replicated_from"], "replicated_from"))
            record["replicated_from"] = target or None


def load_mapping(reference: str | Path) -> Mapping:
    """A mapping from a YAML file path, or by name from the shipped mappings folder.

    For the command line and for mapping files the pages stored; a name from the network goes
    through `shipped_mapping`, which never opens a path."""
    path = Path(reference)
    if not path.exists():
        for candidate in (MAPPINGS_DIR / str(reference), MAPPINGS_DIR / f"{reference}.yaml"):
            if candidate.is_file():
                path = candidate
                break
    try:
        with refusals(path.name):
            limits.check_text_size(path.stat().st_size, path.name)
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailure(_("The mapping file cannot be read."), file=str(reference)) from exc
    return parse_mapping(text, path.name)


def shipped_mapping_path(name: str) -> Path:
    """The file of the shipped mapping called `name` (its file name, with or without `.yaml`).

    The name is looked up among the shipped files, never joined to a path: a path, or a name
    no shipped mapping has, is refused with the same message whatever exists on the server."""
    shipped = {path.stem: path for path in shipped_mappings()}
    found = shipped.get(name) or shipped.get(name.removesuffix(".yaml"))
    if found is None:
        raise ImportFailure(
            _("“mapping” must be the name of a shipped mapping: one of %(names)s.")
            % {"names": ", ".join(sorted(shipped)) or "—"},
            field="mapping",
        )
    return found


def shipped_mapping(name: str) -> Mapping:
    """The shipped mapping called `name`, compiled (see `shipped_mapping_path`)."""
    return load_mapping(shipped_mapping_path(name))


def parse_mapping(text: str, name: str = "mapping.yaml") -> Mapping:
    """Compile mapping YAML; every mistake names the file and the place in it.

    The YAML is bounded before it is compiled: aliases may repeat what they name, but the
    document, expanded, may hold at most `MAPPING_MAX_NODES` values nested at most
    `UPLOAD_MAX_DEPTH` deep (a "billion laughs" file is refused, not expanded)."""
    with refusals(name):
        limits.check_text_size(len(text.encode("utf-8", errors="replace")), name)
    try:
        doc = yaml.safe_load(text)
    except RecursionError:
        refused = limits.too_deep(name)
        raise ImportFailure(refused.message, file=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportFailure(
            _("The mapping is not valid YAML: %(error)s") % {"error": getattr(exc, "problem", exc)},
            file=name,
            row=mark.line + 1 if mark is not None else None,
        ) from exc
    with refusals(name):
        limits.count_nodes(doc, name)
    if not isinstance(doc, dict) or not isinstance(doc.get("records"), list) or not doc["records"]:
        raise ImportFailure(_("A mapping needs a list of records."), file=name, field="records")
    try:
        unknown = set(doc) - {
            "name",
            "source",
            "licence",
            "format",
            "defaults",
            "records",
            "maps",
            "join",
        }
        if unknown:
            raise MappingError(sorted(unknown)[0], unknown_key(sorted(unknown)[0]))
        maps = Maps(doc.get("maps") or {})
        records = [_compile_record(spec, i, maps) for i, spec in enumerate(doc["records"])]
        fmt = doc.get("format") or {}
        if not isinstance(fmt, dict):
            raise MappingError("format", _("Must be a mapping (type, delimiter, encoding …)."))
        defaults = doc.get("defaults") or {}
        if not isinstance(defaults, dict):
            raise MappingError("defaults", _("Must be a mapping of fields to values."))
        joins = []
        for join_name, join in (doc.get("join") or {}).items():
            at = f"join.{join_name}"
            if isinstance(join, dict) and True in join:  # YAML 1.1 reads a bare `on:` as true
                join = {("on" if k is True else k): v for k, v in join.items()}
            if not isinstance(join, dict) or not {"file", "key", "on"} <= set(join):
                raise MappingError(at, _("A join needs file, key and on."))
            on = compile_ref(join["on"], f"{at}.on", maps)
            joined = str(join["file"])
            # A bare file name: a mapping (which editors may upload) must not reach other folders.
            if Path(joined).name != joined or joined in {"", ".", ".."}:
                raise MappingError(
                    f"{at}.file", _("Name a file in the same folder as the imported file.")
                )
            joins.append(Join(str(join_name), joined, str(join["key"]), on))
    except MappingError as exc:
        raise ImportFailure(exc.message, file=name, field=exc.where) from exc
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        # A value of the wrong shape somewhere the checks above do not look (a list of
        # translations, a number where a map is expected): refused, never a traceback.
        raise ImportFailure(
            _("The mapping holds a value of the wrong kind (%(error)s).")
            % {"error": type(exc).__name__},
            file=name,
        ) from exc
    return Mapping(
        name=str(doc.get("name") or Path(name).stem),
        source=" ".join(str(doc.get("source") or "").split()),
        licence=" ".join(str(doc.get("licence") or "").split()),
        format=fmt,
        defaults=defaults,
        records=records,
        joins=joins,
        path=name,
    )


def shipped_mappings() -> list[Path]:
    """The mapping files that ship with the platform (`importer/mappings/*.yaml`)."""
    return sorted(MAPPINGS_DIR.glob("*.yaml")) if MAPPINGS_DIR.is_dir() else []
