"""Read-only API for reference data: controlled vocabularies (with their terms) and countries.

Clients need the codes a payload may use; these endpoints list them with their labels in every
language and the public source each vocabulary comes from.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from buicasus.reference.models import Country
from buicasus.registry.models import Vocabulary
from buicasus.registry.schemas import CountryOut, VocabularyDetailOut, VocabularyOut

router = Router(tags=["reference data"])


def _vocabularies() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.prefetch_related("terms").order_by("key")


@router.get("/vocabularies", response=list[VocabularyOut])
def list_vocabularies(request: HttpRequest) -> list[Vocabulary]:
    return list(_vocabularies())


@router.get("/vocabularies/{key}", response=VocabularyDetailOut)
def get_vocabulary(request: HttpRequest, key: str) -> Vocabulary:
    """The terms come in the vocabulary's own order (`position`)."""
    return get_object_or_404(_vocabularies(), key=key)


@router.get("/countries", response=list[CountryOut])
def list_countries(request: HttpRequest) -> list[Country]:
    return list(Country.objects.order_by("code"))
