"""The review pages: queue, side-by-side comparison, decisions, merges with undo, permissions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.dedup.models import CandidatePair, MergeRecord, PairStatus
from buicasus.registry.models import Organisation
from tests.dedup.conftest import TwoSources, snapshot
from tests.registry.factories import organisation

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def spanish_pair() -> CandidatePair:
    a = organisation("ES", name="Asociación Demo Tejiendo Redes", city="Sevilla")
    b = organisation("ES", name="Asoc. Demo Tejiendo Redes", city="Madrid")
    reasons = {"rule": "name-place", "agreed": ["name"], "differed": ["city"], "name_score": 100}
    return CandidatePair.objects.create(a=a, b=b, score=85, rule="name-place", reasons=reasons)


def test_queue_lists_pairs_of_the_editors_countries(client_for: Callable[..., Client]) -> None:
    pair = spanish_pair()
    html = client_for("editor", "ES").get(reverse("dedup:queue")).content.decode()
    assert "1 pair awaiting review" in html
    assert "Asoc. Demo Tejiendo Redes" in html and "Similar name and place" in html
    assert "Differ: city" in html and reverse("dedup:decide", args=[pair.pk]) in html
    other = client_for("editor", "LV").get(reverse("dedup:queue")).content.decode()
    assert "0 pairs awaiting review" in other and "Tejiendo" not in other


def test_only_editors_reach_the_pages(client_for: Callable[..., Client]) -> None:
    url = reverse("dedup:queue")
    assert Client().get(url).status_code == 302  # to the login page
    assert client_for("viewer", "ES").get(url).status_code == 403
    assert client_for("contributor", "ES").get(url).status_code == 403
    assert client_for("editor", "ES").get(reverse("dedup:merges")).status_code == 200


def test_comparison_highlights_differences(client_for: Callable[..., Client]) -> None:
    pair = spanish_pair()
    html = client_for("editor", "ES").get(reverse("dedup:pair", args=[pair.pk])).content.decode()
    assert "<mark>Sevilla</mark>" in html and "<mark>Madrid</mark>" in html
    assert "score 85 of 100" in html
    assert 'name="keep"' in html and 'value="merge"' in html


def test_merge_from_the_comparison_page_then_undo(
    two_sources: TwoSources, client_for: Callable[..., Client]
) -> None:
    t = two_sources
    before = snapshot()
    pair = CandidatePair.objects.create(a=t.a, b=t.b, score=100, rule="identifier")
    editor = client_for("editor", "FR")
    html = editor.get(reverse("dedup:pair", args=[pair.pk])).content.decode()
    assert (
        "<mark>ess-france-numerique (1)</mark>" in html and "<mark>dsi4eu-2017 (1)</mark>" in html
    )
    assert "fr-siren: 552100554" in html and "Same national identifier" in html
    response = editor.post(
        reverse("dedup:decide", args=[pair.pk]), {"decision": "merge", "keep": t.a.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dedup:queue")
    assert not Organisation.objects.filter(pk=t.b.pk).exists()
    record = MergeRecord.objects.get()
    listing = editor.get(reverse("dedup:merges")).content.decode()
    assert "Tiers Lieu Numérique" in listing and reverse("dedup:undo", args=[record.pk]) in listing
    response = editor.post(reverse("dedup:undo", args=[record.pk]), follow=True)
    assert "was undone" in response.content.decode()
    assert snapshot() == before


def test_keep_apart_through_htmx_returns_the_outcome(client_for: Callable[..., Client]) -> None:
    pair = spanish_pair()
    editor = client_for("editor", "ES")
    response = editor.post(
        reverse("dedup:decide", args=[pair.pk]), {"decision": "keep_apart"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "are kept apart" in response.content.decode()
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.KEPT_APART
    # deciding again is refused with a message, not an error page
    again = editor.post(reverse("dedup:decide", args=[pair.pk]), {"decision": "merge"}, follow=True)
    assert "already been decided" in again.content.decode()


def test_a_latvian_editor_cannot_merge_spanish_organisations(
    client_for: Callable[..., Client],
) -> None:
    pair = spanish_pair()
    before = snapshot()
    latvian = client_for("editor", "LV")
    page = latvian.get(reverse("dedup:pair", args=[pair.pk]))
    assert page.status_code == 200 and "needs editor rights" in page.content.decode()
    for decision in ("merge", "keep_apart"):
        response = latvian.post(reverse("dedup:decide", args=[pair.pk]), {"decision": decision})
        assert response.status_code == 403
    assert snapshot() == before
    assert CandidatePair.objects.get(pk=pair.pk).status == PairStatus.PENDING
    # nor undo a Spanish merge
    spanish = client_for("editor", "ES")
    spanish.post(reverse("dedup:decide", args=[pair.pk]), {"decision": "merge"})
    record = MergeRecord.objects.get()
    assert latvian.post(reverse("dedup:undo", args=[record.pk])).status_code == 403
    assert MergeRecord.objects.get().undone_at is None


def test_pairs_of_unpublished_records_stay_hidden(client_for: Callable[..., Client]) -> None:
    a = organisation("ES", name="Borrador Uno", published=False)
    b = organisation("ES", name="Borrador Uno bis", published=False)
    pair = CandidatePair.objects.create(a=a, b=b, score=90, rule="name-place")
    latvian = client_for("editor", "LV")
    assert latvian.get(reverse("dedup:pair", args=[pair.pk])).status_code == 404
    assert latvian.post(reverse("dedup:decide", args=[pair.pk])).status_code == 404
