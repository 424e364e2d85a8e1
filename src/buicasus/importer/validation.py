"""Validating canonical records by the registry forms' rules, at import speed.

Running a Django ModelForm per row costs about a millisecond; an import of a million rows
cannot afford it. So the rules are applied here with lookup dicts loaded once (codes of
countries, regions and vocabulary terms), and each value takes a fast path when it is plainly
valid. Anything not plainly valid goes through the very form field and model field the page
would use (`OrganisationForm.base_fields[...]` then the model field's validators), so accepted
values and error messages are the forms' own. `tests/importer/test_validation_forms.py` feeds
the same bad values to both and checks they agree.

What needs the database beyond the lookups (identifiers owned by other records, references to
other records) is checked by `engine` with one query per chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from buicasus.core import vocabulary_fields as vf
from buicasus.core.parsing import ParseError, parse_amount
from buicasus.importer.field_checks import INIT, ORG, SIZE_BANDS, Invalid
from buicasus.importer.records import INITIATIVE_FIELDS, ORGANISATION_FIELDS
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.forms import LANGUAGE_CODES, InitiativeForm, OrganisationForm
from buicasus.registry.models import Term

Problem = tuple[str, str]  # (field, message)


@dataclass
class Lookups:
    """Codes → (id, label) for everything a record names by code, loaded once per import."""

    countries: dict[str, tuple[int, str]]
    regions: dict[str, tuple[int, int, str]]  # code → (id, country id, label)
    terms: dict[str, dict[str, tuple[int, str]]]  # vocabulary key → code → (id, label)
    country_codes: dict[int, str] = field(default_factory=dict)
    labels: dict[tuple[str, int], str] = field(default_factory=dict)  # (model, id) → label
    codes: dict[int, str] = field(default_factory=dict)  # term id → code

    @classmethod
    def load(cls) -> Lookups:
        countries = {c.code: (c.pk, str(c)) for c in Country.objects.all()}
        regions = {
            r.code: (r.pk, r.country_id, f"{r.code} {r.name}")
            for r in NutsRegion.objects.only("code", "name", "country_id")
        }
        terms: dict[str, dict[str, tuple[int, str]]] = {}
        for term in Term.objects.select_related("vocabulary"):
            terms.setdefault(term.vocabulary.key, {})[term.code] = (term.pk, str(term))
        found = cls(countries, regions, terms)
        found.country_codes = {pk: code for code, (pk, _label) in countries.items()}
        found.labels.update({("country", pk): label for pk, label in countries.values()})
        found.labels.update({("nutsregion", r[0]): r[2] for r in regions.values()})
        for codes in terms.values():
            found.labels.update({("term", pk): label for pk, label in codes.values()})
            found.codes.update({pk: code for code, (pk, _label) in codes.items()})
        return found

    def label(self, model: str, pk: int | None) -> str | None:
        """How the audit trail shows a related record: its label, as `str()` would."""
        if pk is None:
            return None
        return self.labels.get((model, pk), f"#{pk}")


@dataclass
class Cleaned:
    """A validated organisation or initiative: column values by attname, plus related rows.

    Keys absent from the record are absent here (left alone on update); `identifiers`,
    `fundings` and `m2m` entries are None/absent when the record did not carry them."""

    values: dict[str, Any] = field(default_factory=dict)
    m2m: dict[str, list[int]] = field(default_factory=dict)
    identifiers: list[tuple[int, str]] | None = None
    fundings: list[tuple[int, Decimal | None, str]] | None = None
    errors: list[Problem] = field(default_factory=list)
    country: str | None = None  # the record's country code, when valid

    def has(self, *names: str) -> bool:
        """Whether one of the fields `names` already has an error."""
        return any(f in names for f, _m in self.errors)


_UNKNOWN = {
    "actor-type": lambda: _("Unknown actor type “%(value)s”."),
    "si-stage": lambda: _("Unknown stage “%(value)s”."),
    "evidence-level": lambda: _("Unknown evidence level “%(value)s”."),
    "policy-field": lambda: _("Unknown policy field “%(value)s”."),
    "esf-objective": lambda: _("Unknown ESF+ objective “%(value)s”."),
    "sdg": lambda: _("Unknown SDG “%(value)s”."),
    "target-group": lambda: _("Unknown target group “%(value)s”."),
    "method": lambda: _("Unknown method “%(value)s”."),
    "scaling-strategy": lambda: _("Unknown scaling strategy “%(value)s”."),
    "scaling-direction": lambda: _("Unknown scaling direction “%(value)s”."),
    "initiative-role": lambda: _("Unknown role “%(value)s”."),
    "tie-type": lambda: _("Unknown tie type “%(value)s”."),
}
# The initiative's term fields, single-valued and lists: field name → vocabulary key.
INITIATIVE_TERMS = {f.name: f.vocabulary for f in vf.fields_of(vf.INITIATIVE) if not f.many}
INITIATIVE_TERM_LISTS = {f.name: f.vocabulary for f in vf.fields_of(vf.INITIATIVE) if f.many}


class Validator:
    """Checks canonical records against the lookups; one instance per import."""

    def __init__(self, lookups: Lookups) -> None:
        self.lookups = lookups

    # --- pieces shared by the kinds --------------------------------------------------------

    def term(self, vocabulary: str, code: Any, required: bool = False) -> int | None:
        if code is None or code == "":
            if required:
                raise Invalid(_("This field is required."))
            return None
        found = self.lookups.terms.get(vocabulary, {}).get(str(code))
        if found is None:
            raise Invalid(_UNKNOWN[vocabulary]() % {"value": code})
        return found[0]

    def term_list(self, vocabulary: str, codes: Any) -> list[int]:
        if codes is None or codes == "":
            return []
        items = [codes] if isinstance(codes, str | int) else list(codes)
        return [pk for pk in (self.term(vocabulary, c) for c in items) if pk is not None]

    def country(self, code: Any) -> tuple[int, str]:
        if code is None or code == "":
            raise Invalid(_("This field is required."))
        found = self.lookups.countries.get(str(code))
        if found is None:
            raise Invalid(_("Unknown country code “%(value)s”.") % {"value": code})
        return found[0], str(code)

    def region(self, code: Any) -> tuple[int, int] | None:
        if code is None or code == "":
            return None
        found = self.lookups.regions.get(str(code))
        if found is None:
            raise Invalid(_("Unknown NUTS region “%(value)s”.") % {"value": code})
        return found[0], found[1]

    def translations(self, raw: Any, translatable: tuple[str, ...]) -> dict[str, dict[str, str]]:
        """Like the API: unknown languages or attributes are errors, not silently dropped."""
        if not raw:
            return {}
        if not isinstance(raw, dict):
            raise Invalid(_("Translations must be an object by language code."))
        result: dict[str, dict[str, str]] = {}
        for lang, texts in sorted(raw.items()):
            if lang not in LANGUAGE_CODES:
                raise Invalid(
                    _("Unknown language “%(lang)s”; use one of %(langs)s.")
                    % {"lang": lang, "langs": ", ".join(LANGUAGE_CODES)}
                )
            for attr, text in dict(texts or {}).items():
                if text in (None, ""):
                    continue
                if attr not in translatable:
                    raise Invalid(_("“%(attr)s” cannot be translated here.") % {"attr": attr})
                result.setdefault(lang, {})[attr] = str(text).strip()
        return result

    def lines(self, raw: Any) -> list[str]:
        if raw is None or raw == "":
            return []
        items = raw if isinstance(raw, list | tuple) else str(raw).splitlines()
        return [str(v).strip() for v in items if str(v).strip()]

    # --- organisations ---------------------------------------------------------------------

    def organisation(self, record: dict[str, Any], *, new: bool) -> Cleaned:
        """Plain fields, codes, cross-field rules and identifiers of an organisation record."""
        out = Cleaned()
        data = _fields_of(record, out)
        present = data.keys()
        if new or "name" in present:
            _put(out, "name", "name", ORG.text, "name", data.get("name"), True)
        if new or "actor_type" in present:
            _put(
                out,
                "actor_type",
                "actor_type_id",
                self.term,
                vf.vocabulary_of(vf.ORGANISATION, "actor_type"),
                data.get("actor_type"),
                True,
            )
        if new or "country" in present:
            _put(out, "country", "country_id", self.country_id, data.get("country"), out)
        if "region" in present:
            _put(out, "region", "region_id", self.region_in, data.get("region"), out)
        for name in ("legal_form", "city", "description", "description_language"):
            if name in present:
                _put(out, name, name, ORG.text, name, data.get(name))
        for name in ("latitude", "longitude"):
            if name in present:
                _put(out, name, name, ORG.number, name, data.get(name), float)
        # As the form: a coordinate counts as given when it is a number, even out of range.
        coordinates = [_number_given(data.get("latitude")), _number_given(data.get("longitude"))]
        pair_given = new or "latitude" in present or "longitude" in present
        if pair_given and coordinates[0] != coordinates[1]:
            out.errors.append(("longitude", _("Give both latitude and longitude, or neither.")))
        if "founding_year" in present:
            _put(
                out,
                "founding_year",
                "founding_year",
                ORG.number,
                "founding_year",
                data.get("founding_year"),
                int,
            )
        if "website" in present:
            _put(out, "website", "website", ORG.url, "website", data.get("website"))
        if "size_band" in present:
            _put(
                out,
                "size_band",
                "size_band",
                ORG.choice,
                "size_band",
                data.get("size_band"),
                SIZE_BANDS,
            )
        if "other_names" in present:
            out.values["other_names"] = self.lines(data.get("other_names"))
        if "translations" in present:
            _put(
                out,
                "translations",
                "translations",
                self.translations,
                data.get("translations"),
                OrganisationForm.translatable,
            )
        if "published" in present:
            _put(out, "published", "published", ORG.boolean, "published", data.get("published"))
        if "identifiers" in record:
            try:
                out.identifiers = self.identifiers(record["identifiers"])
            except Invalid as exc:
                out.errors.append(("identifiers", exc.message))
        _unknown_keys(out, present, ORGANISATION_FIELDS)
        return out

    def country_id(self, code: Any, out: Cleaned) -> int:
        pk, out.country = self.country(code)
        return pk

    def region_in(self, code: Any, out: Cleaned) -> int | None:
        """A region, which must lie in the record's country (when that one is valid)."""
        region = self.region(code)
        if region is None:
            return None
        country_id = out.values.get("country_id")
        if country_id is not None and region[1] != country_id:
            raise Invalid(_("This region is not in the chosen country."))
        return region[0]

    def identifiers(self, raw: Any) -> list[tuple[int, str]]:
        """`[{"scheme": "fr-siren", "value": "552100554"}]` (or `"fr-siren: 552100554"` lines)."""
        schemes = self.lookups.terms.get(vf.vocabulary_of(vf.IDENTIFIER, "scheme"), {})
        parsed: list[tuple[int, str]] = []
        for item in raw or []:
            if isinstance(item, dict):
                scheme, value = str(item.get("scheme", "")), str(item.get("value") or "")
            else:
                scheme, _sep, value = str(item).partition(":")
            scheme, value = scheme.strip(), value.strip()
            if scheme not in schemes:
                raise Invalid(_("Unknown identifier scheme “%(scheme)s”.") % {"scheme": scheme})
            if not value:
                raise Invalid(_("Identifier “%(scheme)s” has no value.") % {"scheme": scheme})
            pair = (schemes[scheme][0], value)
            if pair not in parsed:
                parsed.append(pair)
        return parsed

    # --- initiatives -----------------------------------------------------------------------

    def initiative(self, record: dict[str, Any], *, new: bool) -> Cleaned:
        """Plain fields, codes, term lists, dates and fundings of an initiative record."""
        out = Cleaned()
        data = _fields_of(record, out)
        present = data.keys()
        if new or "title" in present:
            _put(out, "title", "title", INIT.text, "title", data.get("title"), True)
        if new or "country" in present:
            _put(out, "country", "country_id", self.country_id, data.get("country"), out)
        for name in ("description", "description_language", "outcome_evidence"):
            if name in present:
                _put(out, name, name, INIT.text, name, data.get(name))
        if "website" in present:
            _put(out, "website", "website", INIT.url, "website", data.get("website"))
        for name in ("start_date", "end_date"):
            if name in present:
                _put(out, name, name, INIT.date, name, data.get(name))
        start, end = out.values.get("start_date"), out.values.get("end_date")
        if start and end and end < start:
            out.errors.append(("end_date", _("The end date is before the start date.")))
        for name, vocabulary in INITIATIVE_TERMS.items():
            if name in present:
                _put(out, name, f"{name}_id", self.term, vocabulary, data.get(name))
        for name, vocabulary in INITIATIVE_TERM_LISTS.items():
            if name in present:
                try:
                    out.m2m[name] = self.term_list(vocabulary, data.get(name))
                except Invalid as exc:
                    out.errors.append((name, exc.message))
        if "regions" in present:
            try:
                out.m2m["regions"] = self.region_list(data.get("regions"))
            except Invalid as exc:
                out.errors.append(("regions", exc.message))
        if "translations" in present:
            _put(
                out,
                "translations",
                "translations",
                self.translations,
                data.get("translations"),
                InitiativeForm.translatable,
            )
        if "published" in present:
            _put(out, "published", "published", INIT.boolean, "published", data.get("published"))
        if "fundings" in record:
            try:
                out.fundings = self.fundings(record["fundings"])
            except Invalid as exc:
                out.errors.append(("fundings", exc.message))
        _unknown_keys(out, present, INITIATIVE_FIELDS)
        return out

    def region_list(self, codes: Any) -> list[int]:
        items = [codes] if isinstance(codes, str) else list(codes or [])
        found = [self.region(c) for c in items if c not in (None, "")]
        return list(dict.fromkeys(r[0] for r in found if r))

    def fundings(self, raw: Any) -> list[tuple[int, Decimal | None, str]]:
        """`[{"source": "esf", "amount": "1250000.00", "currency": "EUR"}]`, the form's rules."""
        sources = self.lookups.terms.get(vf.vocabulary_of(vf.FUNDING, "source"), {})
        parsed: list[tuple[int, Decimal | None, str]] = []
        for item in raw or []:
            if isinstance(item, dict):
                code, amount_raw = str(item.get("source") or ""), item.get("amount")
                currency = str(item.get("currency") or "EUR").strip().upper()
            else:
                code, _sep, amount_raw = str(item).partition(":")
                currency = "EUR"
            code = code.strip()
            if code not in sources:
                raise Invalid(_("Unknown funding source “%(code)s”.") % {"code": code})
            parsed.append((sources[code][0], self.amount(amount_raw), self.currency(currency)))
        return parsed

    def amount(self, raw: Any) -> Decimal | None:
        if raw is None or raw == "":
            return None
        try:
            amount = raw if isinstance(raw, Decimal) else parse_amount(raw, decimal_mark=".")
            amount = amount.quantize(Decimal("0.01"))
        except (ParseError, InvalidOperation) as exc:
            raise Invalid(_("“%(amount)s” is not an amount.") % {"amount": raw}) from exc
        if amount < 0:
            raise Invalid(_("A funding amount cannot be negative."))
        if amount >= Decimal(10) ** 14:
            raise Invalid(_("“%(amount)s” is too large an amount.") % {"amount": raw})
        return amount

    def currency(self, code: str) -> str:
        if len(code) != 3 or not code.isalpha():
            raise Invalid(_("“%(code)s” is not a currency code (e.g. EUR).") % {"code": code})
        return code

    # --- relationships ---------------------------------------------------------------------

    def relationship(self, record: dict[str, Any], vocabulary: str, type_key: str) -> Cleaned:
        """The plain parts of a role or tie (type code and dates); references are the engine's."""
        out = Cleaned()
        try:
            out.values["term_id"] = self.term(vocabulary, record.get(type_key), True)
        except Invalid as exc:
            out.errors.append((type_key, exc.message))
        for name in ("start_date", "end_date"):
            try:
                out.values[name] = INIT.date(name, record.get(name))
            except Invalid as exc:
                out.errors.append((name, exc.message))
        start, end = out.values.get("start_date"), out.values.get("end_date")
        if start and end and end < start:
            out.errors.append(("end_date", _("The end date is before the start date.")))
        return out


def _put(out: Cleaned, name: str, attname: str, fn: Callable[..., Any], *args: Any) -> None:
    """`out.values[attname] = fn(*args)`, or the error under the record's field `name`."""
    try:
        out.values[attname] = fn(*args)
    except Invalid as exc:
        out.errors.append((name, exc.message))


def _number_given(raw: Any) -> bool:
    if raw is None or raw == "" or isinstance(raw, bool):
        return False
    try:
        float(raw)
    except (TypeError, ValueError):
        return False
    return True


def _fields_of(record: dict[str, Any], out: Cleaned) -> dict[str, Any]:
    data = record.get("fields")
    if data is None:
        return {}
    if not isinstance(data, dict):
        out.errors.append(("fields", _("“fields” must be an object.")))
        return {}
    return data


def _unknown_keys(out: Cleaned, present: Any, known: tuple[str, ...]) -> None:
    unknown = sorted(set(present) - set(known))
    if unknown:
        out.errors.append((unknown[0], _("Unknown field “%(name)s”.") % {"name": unknown[0]}))
