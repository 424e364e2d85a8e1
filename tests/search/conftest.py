"""A small multilingual registry for the search tests, and helpers to run searches.

Every word the tests look for is distinctive (`zz…`, real words in five languages that the
reference data does not use), so the consortium records loaded by `load_reference` never match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from buicasus.core import vocabulary_fields as vf
from buicasus.reference.models import NutsRegion
from buicasus.registry.models import Funding, Initiative, Organisation
from buicasus.search.params import parse_params
from buicasus.search.results import SearchPage, search_results
from tests.registry.factories import initiative, organisation, term


@dataclass
class Corpus:
    fr_org: Organisation
    se_org: Organisation
    lv_org_hidden: Organisation
    es_init: Initiative
    lv_init: Initiative
    fr_init_unpublished: Initiative
    es_init_proposed: Initiative


def add_links(record: Initiative, **codes: list[str]) -> Initiative:
    for name, values in codes.items():
        if name == "regions":
            record.regions.set(NutsRegion.objects.filter(code__in=values))
        elif name == "funds":
            for code in values:
                source = term(vf.vocabulary_of(vf.FUNDING, "source"), code)
                Funding.objects.create(initiative=record, source=source)
        else:
            key = vf.vocabulary_of(vf.INITIATIVE, name)
            getattr(record, name).set([term(key, c) for c in values])
    return record


@pytest.fixture
def corpus(db: None) -> Corpus:
    fr_org = organisation(
        "FR",
        name="Coopérative Étoilée de Lyon",
        description="Zzcorpus. Réseau régional de l'économie sociale et solidaire, maïs brûlé.",
        description_language="fr",
        actor_type=term("actor-type", "network-federation"),
        region=NutsRegion.objects.get(code="FR101"),
    )
    se_org = organisation(
        "SE",
        name="Sjöfartens Kooperativ i Åre",
        other_names=["Åre Sjöfart"],
        description="Zzcorpus. Ett socialt företag som ger arbete åt unga i Åre kommun.",
        description_language="sv",
        actor_type=term("actor-type", "cooperative"),
    )
    lv_org_hidden = organisation(
        "LV",
        name="Slepenā zzsecret biedrība",
        description="Zzcorpus. Nepublicēts ieraksts.",
        description_language="lv",
        published=False,
    )
    es_init = add_links(
        initiative(
            "ES",
            title="Innovación social en Andalucía",
            description=(
                "Empleo de calidad para jóvenes: economía social y emprendimiento. Zzcorpus."
            ),
            description_language="es",
            stage=term("si-stage", "implementation"),
            evidence_level=term("evidence-level", "promising-practice"),
        ),
        regions=["ES61"],
        policy_fields=["employment"],
        sdgs=["8"],
        esf_objectives=["a"],
        funds=["esf"],
    )
    lv_init = add_links(
        initiative(
            "LV",
            title="Sociālā uzņēmējdarbība Rīgā",
            description="Atbalsts sociālajiem uzņēmumiem Rīgā un Ķekavā. Zzcorpus.",
            description_language="lv",
            translations={"en": {"title": "Social entrepreneurship in Riga"}},
            stage=term("si-stage", "testing"),
        ),
        regions=["LV006"],
        policy_fields=["employment", "education"],
        sdgs=["8", "4"],
        funds=["erdf", "national"],
    )
    fr_init_unpublished = initiative(
        "FR",
        title="Projet zzsecret non publié",
        description="Zzcorpus. Un brouillon.",
        description_language="fr",
        published=False,
    )
    es_init_proposed = initiative(
        "ES",
        title="Propuesta zzsecret pendiente",
        description="Zzcorpus. Pendiente de revisión.",
        published=False,
        review_status="proposed",
    )
    return Corpus(
        fr_org, se_org, lv_org_hidden, es_init, lv_init, fr_init_unpublished, es_init_proposed
    )


def run(query: str = "", user: Any = None, **extra: Any) -> SearchPage:
    """Search as `user` (anonymous by default) with query-string parameters."""
    data: dict[str, list[str]] = {"q": [query]}
    for key, value in extra.items():
        data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    return search_results(user or AnonymousUser(), parse_params(data))


def keys(page: SearchPage) -> list[tuple[str, int]]:
    return [(hit.kind, hit.id) for hit in page.hits]


def facet(page: SearchPage, name: str) -> dict[str, int]:
    for found in page.facets:
        if found.name == name:
            return {v.code: v.count for v in found.values if v.count}
    return {}


@pytest.fixture
def anonymous() -> Client:
    return Client()
