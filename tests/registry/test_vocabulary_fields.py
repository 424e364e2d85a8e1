"""`core.vocabulary_fields` says what the models say: every field onto `Term` is declared, with
the vocabulary its `limit_choices_to` names, and each vocabulary exists once reference data is
loaded."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from buicasus.core import vocabulary_fields as vf
from buicasus.registry.models import Term, Vocabulary


def _fields_onto_term() -> dict[tuple[str, str], models.Field]:
    found: dict[tuple[str, str], models.Field] = {}
    for model in apps.get_models():
        if model._meta.auto_created:
            continue  # many-to-many link tables: their field is declared on the model
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.ManyToManyField) and (
                field.related_model is Term
            ):
                found[(model._meta.label, field.name)] = field
    return found


def test_every_field_onto_a_term_is_declared_and_nothing_else() -> None:
    declared = {(f.model, f.name) for f in vf.FIELDS}
    assert set(_fields_onto_term()) == declared


@pytest.mark.parametrize("declared", vf.FIELDS, ids=lambda f: f"{f.model}.{f.name}")
def test_the_declaration_matches_the_model_field(declared: vf.VocabularyField) -> None:
    field = _fields_onto_term()[(declared.model, declared.name)]
    assert field.remote_field.limit_choices_to == {"vocabulary__key": declared.vocabulary}
    assert isinstance(field, models.ManyToManyField) == declared.many


@pytest.mark.django_db
def test_every_declared_vocabulary_is_loaded_with_terms() -> None:
    keys = {f.vocabulary for f in vf.FIELDS}
    loaded = set(
        Vocabulary.objects.filter(key__in=keys, terms__isnull=False).values_list("key", flat=True)
    )
    assert loaded == keys
