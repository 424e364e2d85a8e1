"""The JSON formats: BuiCaSuS JSON and JSON Lines, Popolo, Kumu, schema.org JSON-LD, DCAT-AP.

Each streams its document (one item per line), so memory stays flat however many records.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from buicasus.core import dcat, kumu, popolo, schema_org
from buicasus.interchange.exporters.base import (
    EXPORTERS,
    dumps,
    encoded,
    export_meta,
    json_document,
    register,
)
from buicasus.interchange.services import Selection

FORMAT_NAME, FORMAT_VERSION = "buicasus", 1


def _head(selection: Selection) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, **export_meta(selection)}


@register(
    "json",
    label=_("BuiCaSuS JSON (lossless, re-importable)"),
    extension="json",
    media_type="application/json",
    reimportable=True,
)
def export_json(selection: Selection) -> Iterator[bytes]:
    """Canonical records (docs/import-format.md) with their provenance, in import order."""
    return encoded(json_document(_head(selection), [("records", selection.records())]))


@register(
    "jsonl",
    label=_("BuiCaSuS JSON Lines (one record per line)"),
    extension="jsonl",
    media_type="application/x-ndjson",
    reimportable=True,
)
def export_jsonl(selection: Selection) -> Iterator[bytes]:
    """The same records one per line, after a first line describing the file."""
    lines = itertools.chain(
        [dumps(_head(selection)) + "\n"], (dumps(r) + "\n" for r in selection.records())
    )
    return encoded(lines)


@register(
    "popolo",
    label=_("Popolo JSON (organisations and memberships)"),
    extension="popolo.json",
    media_type="application/json",
    reimportable=True,
    absolute_links=True,
)
def export_popolo(selection: Selection) -> Iterator[bytes]:
    organisations = itertools.chain(
        (popolo.organisation(r) for r in selection.organisation_records()),
        (popolo.initiative(r) for r in selection.initiative_records()),
    )
    memberships = itertools.chain(
        (popolo.role_membership(r) for r in selection.role_records()),
        (popolo.tie_membership(r) for r in selection.tie_records()),
    )
    arrays = [("organizations", organisations), ("memberships", memberships)]
    return encoded(json_document({"meta": export_meta(selection)}, arrays))


@register(
    "kumu",
    label=_("Kumu JSON (elements and connections)"),
    extension="kumu.json",
    media_type="application/json",
    reimportable=True,
)
def export_kumu(selection: Selection) -> Iterator[bytes]:
    elements = itertools.chain(
        (kumu.element(r) for r in selection.organisation_records()),
        (kumu.element(r) for r in selection.initiative_records()),
    )
    connections = itertools.chain(
        (kumu.connection(r) for r in selection.role_records()),
        (kumu.connection(r) for r in selection.tie_records()),
    )
    return encoded(json_document({}, [("elements", elements), ("connections", connections)]))


def _vocabulary_url(selection: Selection) -> str:
    return selection.base_url + "/api/v1/vocabularies/"


@register(
    "jsonld",
    label=_("schema.org JSON-LD"),
    extension="jsonld",
    media_type="application/ld+json",
    absolute_links=True,
)
def export_jsonld(selection: Selection) -> Iterator[bytes]:
    """Organisations, projects, grants and the vocabularies' defined terms in one @graph."""
    iri = selection.lookups.url_of
    vocab_url = _vocabulary_url(selection)

    def term_iri(key: str, code: str) -> str:
        return f"{vocab_url}{key}#{code}"

    def set_iri(key: str) -> str:
        return f"{vocab_url}{key}"

    vocab = selection.vocabularies()
    nodes = itertools.chain(
        schema_org.term_nodes(vocab, term_iri, set_iri),
        (schema_org.organisation_node(r, iri, term_iri) for r in selection.organisation_records()),
        (
            schema_org.initiative_node(r, iri, term_iri, vocab)
            for r in selection.initiative_records()
        ),
        (schema_org.role_node(r, iri) for r in selection.role_records()),
        (schema_org.tie_node(r, iri) for r in selection.tie_records()),
    )
    return encoded(json_document({"@context": schema_org.CONTEXT}, [("@graph", nodes)]))


def export_url(selection: Selection, format_name: str) -> str:
    """The address that downloads this selection in another format."""
    query = urlencode({"kind": selection.kind, "format": format_name, **selection.filters})
    return f"{selection.base_url}{reverse('interchange:export')}?{query}"


@register(
    "dcat",
    label=_("DCAT-AP description (for data catalogues)"),
    extension="dcat.jsonld",
    media_type="application/ld+json",
    absolute_links=True,
)
def export_dcat(selection: Selection) -> Iterator[bytes]:
    """A catalogue entry for this selection, with one distribution per format."""
    modified = selection.modified()
    kind_titles = {
        "organisations": "organisations",
        "initiatives": "initiatives",
        "registry": "organisations, initiatives and their relationships",
    }
    description = (
        "Social-innovation ecosystem registry kept by a national Competence Centre for Social "
        f"Innovation (ESF+): {kind_titles[selection.kind]}, with provenance and licence per record."
    )
    distributions = [
        dcat.Distribution(name, str(exp.label), exp.media_type, export_url(selection, name))
        for name, exp in EXPORTERS.items()
        if name != "dcat" and selection.kind in exp.kinds
    ]
    document = dcat.dataset(
        iri=export_url(selection, "dcat"),
        title=f"BuiCaSuS registry: {selection.kind}",
        description=description,
        publisher="BuiCaSuS",
        issued=selection.generated_at.replace(microsecond=0).isoformat(),
        modified=modified.replace(microsecond=0).isoformat() if modified else None,
        countries=selection.countries(),
        sources=selection.sources(),
        distributions=distributions,
        keywords=("social innovation", "ESF+", "social economy", "ecosystem map"),
        filters=selection.filters,
    )
    return iter([dumps(document).encode("utf-8")])
