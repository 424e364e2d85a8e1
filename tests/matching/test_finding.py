"""Find solutions: the search page over the real retrieval (hashing encoder), re-ranking by
weights without a new retrieval, saved searches, pilots links and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from buicasus.core import transferability as tr
from buicasus.jobs.services import run_queued
from buicasus.matching import finding, services
from buicasus.matching.models import NeedShare, SavedSearch
from buicasus.reference.models import Country
from tests.matching import builders
from tests.registry.factories import initiative, term

pytestmark = pytest.mark.django_db

NEED = "Young unemployed people need digital skills training and coaching to find a job."


@pytest.fixture
def corpus() -> dict[str, Any]:
    """A close match with little evidence, a loose one with the best, and a Latvian one."""
    close = initiative(
        "ES",
        title="Formación digital para jóvenes desempleados",
        description=(
            "Young unemployed people get digital skills training and coaching to find a job."
        ),
        description_language="en",
        evidence_level=term("evidence-level", "innovation"),
        translations={"fr": {"title": "Formation numérique pour jeunes chômeurs"}},
    )
    proven = initiative(
        "FR",
        title="Jardins partagés",
        description="Community gardens where neighbours grow vegetables together.",
        description_language="en",
        evidence_level=term("evidence-level", "best-practice"),
    )
    home = initiative("LV", title="Digitālās prasmes jauniešiem", description=NEED)
    run_queued()  # the worker embeds them for matching
    return {"close": close, "proven": proven, "home": home}


def _find(client: Any, **data: Any) -> Any:
    return client.post(reverse("matching:find"), {"text": NEED, "country": "LV", **data})


def _weights(**values: float) -> dict[str, str]:
    return {f"w_{k}": str(values.get(k, 0)) for k in tr.COMPONENTS}


def test_find_page_ranks_other_countries_with_the_breakdown(client_for: Any, corpus: Any) -> None:
    client = client_for(None)
    assert client.get(reverse("matching:find")).status_code == 200
    response = _find(client)
    assert response.status_code == 200
    ids = [row.initiative.pk for row in response.context["rows"]]
    assert corpus["home"].pk not in ids
    assert {corpus["close"].pk, corpus["proven"].pk} <= set(ids)
    html = response.content.decode()
    for label in ("Problem fit", "Evidence level", "Spread", "Essentials documented", "Ease"):
        assert label in html
    assert "Relevance of context" in html and "unknown" in html  # no GDP figures loaded
    assert "their weight went to the known components" in html
    assert response.context["token"]


def test_reader_language_title_beside_the_original(client_for: Any, corpus: Any) -> None:
    client = client_for(None)
    client.cookies["django_language"] = "fr"
    html = _find(client, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Formation numérique pour jeunes chômeurs" in html
    assert "Formación digital para jóvenes desempleados" in html


def test_weights_rerank_without_a_new_retrieval(
    client_for: Any, corpus: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(None)
    token = _find(client).context["token"]

    def no_retrieval(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("re-ranking must not search again")

    monkeypatch.setattr(services, "retrieve", no_retrieval)
    headers = {"HTTP_HX_REQUEST": "true"}
    fit = client.post(
        reverse("matching:rerank"), {"token": token, **_weights(problem_fit=1)}, **headers
    )
    evidence = client.post(
        reverse("matching:rerank"), {"token": token, **_weights(evidence=5)}, **headers
    )
    assert fit.status_code == evidence.status_code == 200
    fit_ids = [r.initiative.pk for r in fit.context["rows"]]
    evidence_ids = [r.initiative.pk for r in evidence.context["rows"]]
    assert fit_ids.index(corpus["close"].pk) < fit_ids.index(corpus["proven"].pk)
    assert evidence_ids[0] == corpus["proven"].pk
    assert "<html" not in evidence.content.decode()  # the ranking fragment only
    assert evidence.context["rows"][0].components[1].weight == 1.0


@pytest.mark.parametrize(
    ("weights", "message"),
    [({}, "All weights are zero"), ({"ease": -1, "evidence": 1}, "“Ease” is negative")],
)
def test_bad_weights_are_explained(
    client_for: Any, corpus: Any, weights: dict[str, float], message: str
) -> None:
    client = client_for(None)
    token = _find(client).context["token"]
    response = client.post(
        reverse("matching:rerank"), {"token": token, **_weights(**weights)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert message in response.content.decode()


def test_expired_search_token_sends_back_to_the_form(client_for: Any) -> None:
    response = client_for(None).post(reverse("matching:rerank"), {"token": "gone"})
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:find")


@pytest.mark.parametrize(("text", "message"), [("", "empty"), ("z" * 100_000, "100000 characters")])
def test_empty_or_huge_text_is_refused(client_for: Any, text: str, message: str) -> None:
    response = client_for(None).post(reverse("matching:find"), {"text": text})
    assert response.status_code == 422
    assert message in response.context["form"].errors["text"][0]


def test_unsupported_language_is_matched_with_the_engine_notice(
    client_for: Any, corpus: Any
) -> None:
    response = _find(client_for(None), text="Junge Arbeitslose brauchen digitale Kompetenzen.")
    assert response.status_code == 200
    assert response.context["notice"]
    assert response.context["notice"] in response.content.decode()
    assert response.context["rows"]


def test_save_search_then_reweight_it(client_for: Any, make_user: Any, corpus: Any) -> None:
    client = client_for("viewer", "LV")
    token = _find(client).context["token"]
    response = client.post(
        reverse("matching:saved-create"),
        {"token": token, "name": "Digital skills", **_weights(problem_fit=60, evidence=40)},
    )
    saved = SavedSearch.objects.get()
    assert response["Location"] == reverse("matching:saved-detail", args=[saved.pk])
    assert saved.weights["problem_fit"] == pytest.approx(0.6)
    assert saved.results["hits"]
    assert "Digital skills" in client.get(reverse("matching:saved-list")).content.decode()
    page = client.get(reverse("matching:saved-detail", args=[saved.pk]))
    assert page.status_code == 200 and page.context["rows"]
    client.post(
        reverse("matching:saved-detail", args=[saved.pk]),
        _weights(evidence=1),
        HTTP_HX_REQUEST="true",
    )
    saved.refresh_from_db()
    assert saved.weights["evidence"] == 1.0
    other = client_for("viewer", "LV")
    assert other.get(reverse("matching:saved-detail", args=[saved.pk])).status_code == 403
    assert other.post(reverse("matching:saved-delete", args=[saved.pk])).status_code == 403
    client.post(reverse("matching:saved-refresh", args=[saved.pk]))
    client.post(reverse("matching:saved-delete", args=[saved.pk]))
    assert not SavedSearch.objects.exists()


def test_need_matches_show_human_recommendations_and_pilot_links(
    make_user: Any, client_for: Any, corpus: Any
) -> None:
    asker = make_user("editor", "LV")
    need = builders.need("LV", text=NEED, created_by=asker)
    NeedShare.objects.create(need=need, country=Country.objects.get(code="FR"))
    services.recommend(make_user("editor", "FR"), need, corpus["proven"], "Proven in Nantes")
    client = client_for(None)
    client.force_login(asker)
    response = client.get(reverse("matching:need-matches", args=[need.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recommended by other centres" in html and "Proven in Nantes" in html
    assert "Human recommendation" in html and "Machine match" in html
    try:
        base = reverse("pilots:create")
    except NoReverseMatch:
        assert "Start a pilot" not in html
    else:
        assert f"{base}?initiative={corpus['close'].pk}&amp;need={need.pk}" in html
    assert (
        client_for("viewer", "SE").get(reverse("matching:need-matches", args=[need.pk])).status_code
        == 403
    )


def test_need_search_sends_the_need_terms_and_target(make_user: Any) -> None:
    need = builders.need("LV")
    need.policy_fields.set([term("policy-field", "employment")])
    req = finding.request_for_need(need)
    assert req.target.country == "LV"
    assert finding.need_terms(need) == ("policy-field:employment",)


def test_find_form_defaults_to_the_users_only_country(client_for: Any) -> None:
    form = client_for("viewer", "SE").get(reverse("matching:find")).context["form"]
    assert form.initial["country"] == "SE"
    assert client_for(None).get(reverse("matching:find")).context["form"].initial["country"] == ""
