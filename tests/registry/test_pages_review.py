"""Contributors propose, editors approve or reject, everyone follows it on the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from buicasus.registry.models import Initiative, Organisation, ReviewStatus
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db


def _propose(client: Client, title: str = "Ierosinājums") -> Initiative:
    response = client.post(
        reverse("registry:initiative-create"),
        {"title": title, "country": "LV", "description_language": "lv", "published": "on"},
    )
    assert response.status_code == 302
    return Initiative.objects.get(title=title)


def test_contributor_proposal_approved_and_published_by_an_editor(
    client_for: Callable[..., Client], make_user: Callable[..., Any]
) -> None:
    contributor = client_for("contributor", "LV")
    record = _propose(contributor)
    assert record.review_status == ReviewStatus.PROPOSED and not record.published
    # the contributor sees it, with its status, and may still edit it
    html = contributor.get(record.get_absolute_url()).content.decode()
    assert "Proposed, awaiting review" in html and "/edit/" in html
    mine = contributor.get(reverse("registry:proposals")).content.decode()
    assert "My proposals" in mine and "Ierosinājums" in mine
    assert "Approve" not in mine  # contributors do not review
    # nobody else outside the editors sees it
    assert Client().get(record.get_absolute_url()).status_code == 404
    assert client_for("viewer", "LV").get(record.get_absolute_url()).status_code == 404

    editor = client_for("editor", "LV")
    queue = editor.get(reverse("registry:proposals")).content.decode()
    assert "Ierosinājums" in queue and "1 proposal awaiting review" in queue
    response = editor.post(
        reverse("registry:review", args=["initiative", record.pk]),
        {"decision": "approve", "publish": "on", "note": "Labi."},
    )
    assert response.status_code == 302 and response["Location"] == reverse("registry:proposals")
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.APPROVED and record.published
    assert record.review_note == "Labi."
    assert Client().get(record.get_absolute_url()).status_code == 200
    assert "Nothing to review." in editor.get(reverse("registry:proposals")).content.decode()
    # and the contributor sees the outcome
    mine = contributor.get(reverse("registry:proposals")).content.decode()
    assert "Approved" in mine and "Labi." in mine


def test_editor_rejects_with_a_note(client_for: Callable[..., Client]) -> None:
    contributor = client_for("contributor", "LV")
    response = contributor.post(
        reverse("registry:organisation-create"),
        {"name": "Ierosināta org", "actor_type": "foundation", "country": "LV"},
    )
    assert response.status_code == 302
    record = Organisation.objects.get(name="Ierosināta org")
    assert record.review_status == ReviewStatus.PROPOSED
    editor = client_for("editor", "LV")
    editor.post(
        reverse("registry:review", args=["organisation", record.pk]),
        {"decision": "reject", "note": "Dublikāts."},
    )
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.REJECTED and not record.published
    mine = contributor.get(reverse("registry:proposals")).content.decode()
    assert "Rejected" in mine and "Dublikāts." in mine
    # a rejected proposal can no longer be edited by its author
    url = reverse("registry:organisation-update", args=[record.pk])
    assert contributor.get(url).status_code == 403


def test_approve_without_publishing(client_for: Callable[..., Client]) -> None:
    record = _propose(client_for("contributor", "LV"))
    client_for("editor", "LV").post(
        reverse("registry:review", args=["initiative", record.pk]), {"decision": "approve"}
    )
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.APPROVED and not record.published


@pytest.mark.parametrize(("role", "country"), [("editor", "ES"), ("contributor", "LV")])
def test_review_refused(client_for: Callable[..., Client], role: str, country: str) -> None:
    record = initiative("LV", review_status=ReviewStatus.PROPOSED, published=False)
    response = client_for(role, country).post(
        reverse("registry:review", args=["initiative", record.pk]), {"decision": "approve"}
    )
    assert response.status_code in {403, 404}
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.PROPOSED


def test_review_of_a_published_record_in_another_country_is_403(
    client_for: Callable[..., Client],
) -> None:
    record = initiative("ES", review_status=ReviewStatus.APPROVED)
    response = client_for("editor", "LV").post(
        reverse("registry:review", args=["initiative", record.pk]), {"decision": "reject"}
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.APPROVED


def test_review_needs_a_decision(client_for: Callable[..., Client]) -> None:
    record = _propose(client_for("contributor", "LV"))
    editor = client_for("editor", "LV")
    response = editor.post(reverse("registry:review", args=["initiative", record.pk]), {})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.PROPOSED
    assert editor.post(reverse("registry:review", args=["thing", record.pk])).status_code == 404


def test_contributor_edits_own_pending_proposal(client_for: Callable[..., Client]) -> None:
    contributor = client_for("contributor", "LV")
    record = _propose(contributor)
    url = reverse("registry:initiative-update", args=[record.pk])
    assert contributor.get(url).status_code == 200
    response = contributor.post(
        url, {"title": "Labots ierosinājums", "country": "LV", "published": "on"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Labots ierosinājums"
    assert record.review_status == ReviewStatus.PROPOSED and not record.published
    history = contributor.get(reverse("registry:initiative-history", args=[record.pk]))
    assert history.status_code == 200 and "Labots ierosinājums" in history.content.decode()
