"""Field specs of a mapping file, compiled into callables that turn a row into one value.

A spec says where the value comes from (`column`, a list of columns, `value`, `template`,
`first_of`), what is done to it, in this order: `pattern` (a regular expression: the first
group, or the whole match), `split` (a separator: the value becomes a list and what follows
applies to each item), `normalise`, `map` (a value map; a map's `"*"` entry is the fallback,
its `""` entry the value of an empty cell, and an item mapped to `""` is dropped), `type`
(`str`, `int`, `float`, `date` with `formats`, `amount` with an optional `decimal` mark, `bool`);
then `required` and `default` for empty values. A bare scalar instead of a spec is a constant.

Patterns come from mapping files that editors may upload, so they run on the `regex` engine
with a time limit per value (`MAPPING_REGEX_TIMEOUT_MS`): a pattern that backtracks
exponentially on some cell stops the import (`PatternTooSlow`) instead of the server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import regex
from django.utils.translation import gettext as _

from buicasus import limits
from buicasus.core.parsing import (
    NORMALISERS,
    ParseError,
    Template,
    clean_text,
    compile_template,
    fold,
    is_blank,
    parse_amount,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    split_values,
)

SPEC_KEYS = {
    "column",
    "value",
    "template",
    "first_of",
    "pattern",
    "type",
    "map",
    "split",
    "required",
    "default",
    "normalise",
    "formats",
    "decimal",
}
TYPES = ("str", "int", "float", "date", "amount", "bool")
_MISSING = object()


class MappingError(Exception):
    """A mistake in the mapping file itself, at `where` (e.g. `records[0].fields.name`)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message = where, message


class PatternTooSlow(Exception):
    """A mapping's pattern took longer than its time limit on one value."""

    def __init__(self, where: str, seconds: float) -> None:
        super().__init__(where)
        self.where, self.seconds = where, seconds


class CellProblem(Exception):
    """A row's value that cannot become the wanted value; it becomes an error of the record."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def unknown_key(key: str) -> str:
    return _("Unknown key “%(key)s”.") % {"key": key}


def parse_message(exc: ParseError) -> str:
    """A `core.parsing` failure in words."""
    messages = {
        "not_an_integer": _("“%(value)s” is not a whole number."),
        "not_a_number": _("“%(value)s” is not a number."),
        "not_an_amount": _("“%(value)s” is not an amount."),
        "not_a_boolean": _("“%(value)s” is not yes or no."),
        "not_a_date": _("“%(value)s” is not a date (expected %(formats)s)."),
    }
    text = messages.get(exc.code, _("“%(value)s” cannot be read."))
    return text % {"value": exc.value, "formats": exc.detail}


def template(text: Any, where: str) -> Template:
    try:
        return compile_template(str(text))
    except ParseError as exc:
        raise MappingError(
            where, _("“%(template)s” is not a valid template.") % {"template": text}
        ) from exc


class Maps:
    """The mapping's value maps. A lookup tries the exact text, then the text with case and
    accents folded, then the map's `"*"` entry; otherwise it is an error naming the map."""

    def __init__(self, maps: Any) -> None:
        if not isinstance(maps, dict):
            raise MappingError("maps", _("Must be a mapping of names to value maps."))
        self.maps: dict[str, dict[str, Any]] = {}
        self.folded: dict[str, dict[str, Any]] = {}
        for name, table in maps.items():
            if not isinstance(table, dict):
                raise MappingError(f"maps.{name}", _("Must be a mapping of values to codes."))
            for key, value in table.items():
                # YAML 1.1 turns a bare NO (Norway), ON or YES into a boolean, never a code.
                if isinstance(value, bool):
                    raise MappingError(
                        f"maps.{name}.{key}",
                        _("Reads as yes/no, not as a code: put the code in quotes."),
                    )
            self.maps[str(name)] = {str(k): v for k, v in table.items()}
            self.folded[str(name)] = {fold(str(k)).strip(): v for k, v in table.items()}

    def get(self, name: str, where: str) -> tuple[Callable[[str, str], Any], Any]:
        """(lookup(value, column), the value of an empty cell or `_MISSING`)."""
        if name not in self.maps:
            raise MappingError(where, _("No map named “%(map)s” under maps.") % {"map": name})
        table, folded = self.maps[name], self.folded[name]
        fallback = table.get("*", _MISSING)

        def lookup(value: str, column: str) -> Any:
            found = table.get(value, _MISSING)
            if found is _MISSING:
                found = folded.get(fold(value).strip(), fallback)
            if found is _MISSING:
                raise CellProblem(
                    _("column “%(column)s”: “%(value)s” is not in the map “%(map)s”.")
                    % {"column": column, "value": value, "map": name}
                )
            return found

        return lookup, table.get("", _MISSING)


def _converter(spec: dict[str, Any], where: str) -> Callable[[Any], Any] | None:
    kind = spec.get("type", "str")
    if kind not in TYPES:
        raise MappingError(
            where,
            _("Unknown type “%(type)s”; use one of %(types)s.")
            % {"type": kind, "types": ", ".join(TYPES)},
        )
    if kind == "date":
        formats = spec.get("formats") or ()
        formats = [formats] if isinstance(formats, str) else list(formats)
        return lambda v: parse_date(v, formats).isoformat()
    if kind == "amount":
        mark = spec.get("decimal")
        return lambda v: parse_amount(v, mark)
    simple: dict[str, Callable[[Any], Any] | None] = {
        "int": parse_int,
        "float": parse_float,
        "bool": parse_bool,
        "str": None,
    }
    return simple[kind]


@dataclass
class Value:
    """A compiled field spec; calling it with (row, defaults) gives the value."""

    where: str
    columns: list[str] = field(default_factory=list)
    constant: Any = None
    template: Template | None = None
    alternatives: list[Value] = field(default_factory=list)
    pattern: Any = None  # a compiled `regex` pattern
    timeout: float = 0.1
    split: str | None = None
    normalise: Callable[[str], str] | None = None
    lookup: Callable[[str, str], Any] | None = None
    blank: Any = _MISSING  # the map's value for an empty cell
    convert: Callable[[Any], Any] | None = None
    required: bool = False
    default: Any = None

    def label(self) -> str:
        """The columns the value is read from, for messages."""
        if self.columns:
            return ", ".join(self.columns)
        if self.template is not None:
            return ", ".join(self.template.columns)
        return ", ".join(a.label() for a in self.alternatives if a.label())

    def raw(self, row: dict[str, Any], defaults: dict[str, Any]) -> Any:
        if self.template is not None:
            return self.template.render(row, defaults)
        if self.columns:
            for column in self.columns:
                value = row.get(column)
                if value is None or value == "" or (value.__class__ is str and value.isspace()):
                    value = defaults.get(column)
                if value is not None and value != "":
                    return value
            return None
        if self.alternatives:
            for alternative in self.alternatives:
                value = alternative(row, defaults)
                if not is_blank(value) and value != []:
                    return value
            return None
        return self.constant

    def __call__(self, row: dict[str, Any], defaults: dict[str, Any]) -> Any:
        value = self.raw(row, defaults)
        if value.__class__ is str:
            value = value.strip()  # inner spaces and line breaks stay: `normalise` decides
        if self.pattern is not None and value is not None and value != "":
            text = value if isinstance(value, str) else clean_text(value)
            try:
                found = self.pattern.search(text, timeout=self.timeout)
            except TimeoutError:
                raise PatternTooSlow(self.where, self.timeout) from None
            value = (found.group(1) if self.pattern.groups else found.group(0)) if found else None
        if value is None or value == "":
            if self.lookup is not None and self.blank is not _MISSING and not is_blank(self.blank):
                return self.convert_one(self.blank)
            return self.empty()
        if self.split and isinstance(value, str):
            items = [self.one(item) for item in split_values(value, self.split)]
            flat: list[Any] = []
            for item in items:
                flat.extend(item if isinstance(item, list) else [item])
            return list(dict.fromkeys(i for i in flat if not is_blank(i))) or self.empty()
        if self.normalise is None and self.lookup is None and self.convert is None:
            return value
        return self.one(value)

    def empty(self) -> Any:
        if self.default is not None:
            return self.default
        if self.required:
            what = self.label()
            raise CellProblem(
                _("column “%(column)s” is empty.") % {"column": what}
                if what
                else _("This field is required.")
            )
        return [] if self.split else None

    def one(self, value: Any) -> Any:
        if self.normalise is not None and isinstance(value, str):
            value = self.normalise(value)
        if self.lookup is not None:
            value = self.lookup(
                value if isinstance(value, str) else clean_text(value), self.label()
            )
            if is_blank(value):
                return None
            if isinstance(value, list):
                return [self.convert_one(v) for v in value if not is_blank(v)]
        return self.convert_one(value)

    def convert_one(self, value: Any) -> Any:
        if self.convert is None or is_blank(value):
            return value
        try:
            return self.convert(value)
        except ParseError as exc:
            message, column = parse_message(exc), self.label()
            raise CellProblem(
                _("column “%(column)s”: %(message)s") % {"column": column, "message": message}
                if column
                else message
            ) from exc


def compile_value(spec: Any, where: str, maps: Maps) -> Value:
    """A field spec as a `Value`: a dict as described in the module docstring, a template
    string where a template is expected (see `compile_ref`), or any other scalar as a constant."""
    if not isinstance(spec, dict):
        return Value(where, constant=spec)
    unknown = set(spec) - SPEC_KEYS
    if unknown:
        raise MappingError(where, unknown_key(sorted(unknown)[0]))
    if len([k for k in ("column", "value", "template", "first_of") if k in spec]) > 1:
        raise MappingError(where, _("Give only one of column, value, template and first_of."))
    value = Value(where, required=bool(spec.get("required")), default=spec.get("default"))
    if "column" in spec:
        columns = spec["column"]
        value.columns = [str(c) for c in columns] if isinstance(columns, list) else [str(columns)]
    elif "template" in spec:
        value.template = template(spec["template"], where)
    elif "first_of" in spec:
        if not isinstance(spec["first_of"], list) or not spec["first_of"]:
            raise MappingError(where, _("first_of needs a list of specs."))
        value.alternatives = [
            compile_value(s, f"{where}.first_of[{i}]", maps) for i, s in enumerate(spec["first_of"])
        ]
    else:
        value.constant = spec.get("value")
    if spec.get("pattern"):
        try:
            value.pattern = regex.compile(str(spec["pattern"]))
        except (regex.error, OverflowError, ValueError, RecursionError) as exc:
            raise MappingError(
                where,
                _("The pattern is not a valid regular expression: %(error)s")
                % {"error": str(exc)[:200] or type(exc).__name__},
            ) from exc
        value.timeout = limits.regex_timeout()
    value.convert = _converter(spec, where)
    if spec.get("normalise"):
        if spec["normalise"] not in NORMALISERS:
            raise MappingError(
                where,
                _("Unknown normalise “%(name)s”; use one of %(names)s.")
                % {"name": spec["normalise"], "names": ", ".join(NORMALISERS)},
            )
        value.normalise = NORMALISERS[spec["normalise"]]
    if spec.get("split"):
        value.split = str(spec["split"])
    if spec.get("map"):
        value.lookup, value.blank = maps.get(str(spec["map"]), where)
    return value


def compile_ref(spec: Any, where: str, maps: Maps) -> Value:
    """A source id, reference or condition: a template string, or a field spec."""
    if isinstance(spec, dict):
        return compile_value(spec, where, maps)
    return Value(where, template=template(spec, where))
