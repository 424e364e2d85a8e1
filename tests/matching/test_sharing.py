"""Asking the other countries: sharing a need, recommendations, notifications and e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.template import Context, Template
from django.urls import reverse

from buicasus.matching import services
from buicasus.matching.models import NeedShare, Notification, Recommendation
from buicasus.reference.models import Country
from tests.matching import builders
from tests.registry.factories import initiative

pytestmark = pytest.mark.django_db


def _shared_need(make_user: Any, *codes: str) -> Any:
    asker = make_user("editor", "LV", email="asker@example.org")
    need = builders.need("LV", created_by=asker)
    for code in codes:
        NeedShare.objects.create(need=need, country=Country.objects.get(code=code))
    return need


def test_sharing_notifies_the_editors_of_the_chosen_countries(
    make_user: Any, client_for: Any
) -> None:
    need = builders.need("LV")
    es_editor = make_user("editor", "ES", email="es@example.org")
    es_viewer = make_user("viewer", "ES")
    se_coordinator = make_user("coordinator", "SE")
    client = client_for("editor", "LV")
    response = client.post(
        reverse("matching:need-share", args=[need.pk]), {"countries": ["ES", "SE"]}
    )
    assert response.status_code == 302
    assert sorted(need.shares.values_list("country__code", flat=True)) == ["ES", "SE"]
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {es_editor.pk, se_coordinator.pk}
    assert es_viewer.pk not in notified
    assert [m.to for m in mail.outbox] == [["es@example.org"]]
    assert need.title in mail.outbox[0].body


def test_sharing_refuses_own_country_and_unknown_codes(make_user: Any) -> None:
    editor = make_user("editor", "LV")
    need = builders.need("LV")
    for codes, expected in ((["LV"], "own country"), (["XX"], "XX"), ([], "at least one")):
        with pytest.raises(services.NeedInvalid) as caught:
            services.share_need(editor, need, codes)
        assert expected in caught.value.errors["countries"][0]
    assert not NeedShare.objects.exists()


def test_only_the_need_country_editors_share(client_for: Any) -> None:
    need = builders.need("LV")
    for client in (client_for("viewer", "LV"), client_for("editor", "ES")):
        response = client.post(
            reverse("matching:need-share", args=[need.pk]), {"countries": ["FR"]}
        )
        assert response.status_code == 403
    assert not NeedShare.objects.exists()


def test_shared_country_editor_recommends_and_the_asker_is_notified(
    make_user: Any, client_for: Any
) -> None:
    need = _shared_need(make_user, "ES")
    item = initiative("ES", title="Tejiendo Empleo")
    client = client_for("editor", "ES")
    page = client.get(reverse("matching:recommend", args=[need.pk]))
    assert page.status_code == 200
    assert f"{reverse('registry:initiative-create')}?next=" in page.content.decode()
    response = client.post(
        reverse("matching:recommend", args=[need.pk]),
        {"initiative": item.pk, "comment": "Works with employers", "country": "ES"},
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert (rec.initiative, rec.country.code) == (item, "ES")
    note = Notification.objects.get()
    assert note.user == need.created_by and note.recommendation == rec
    assert mail.outbox[0].to == ["asker@example.org"]
    detail = client_for("viewer", "LV").get(need.get_absolute_url()).content.decode()
    assert "Human recommendation" in detail and "Works with employers" in detail


def test_recommendation_needs_a_comment_and_a_visible_initiative(
    make_user: Any, client_for: Any
) -> None:
    need = _shared_need(make_user, "ES")
    hidden = initiative("FR", published=False)
    client = client_for("editor", "ES")
    response = client.post(
        reverse("matching:recommend", args=[need.pk]), {"initiative": hidden.pk, "comment": " "}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"comment"}
    response = client.post(
        reverse("matching:recommend", args=[need.pk]),
        {"initiative": hidden.pk, "comment": "Good"},
    )
    assert response.status_code == 422
    assert "not visible" in response.context["form"].errors["initiative"][0]
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize(("role", "country"), [("viewer", "ES"), ("editor", "FR")])
def test_others_cannot_recommend(make_user: Any, client_for: Any, role: str, country: str) -> None:
    need = _shared_need(make_user, "ES")
    item = initiative("ES")
    response = client_for(role, country).post(
        reverse("matching:recommend", args=[need.pk]), {"initiative": item.pk, "comment": "x"}
    )
    assert response.status_code == 403
    assert not Recommendation.objects.exists()


def test_duplicate_recommendation_is_refused(make_user: Any) -> None:
    need = _shared_need(make_user, "ES")
    editor = make_user("editor", "ES")
    item = initiative("ES")
    services.recommend(editor, need, item, "first")
    with pytest.raises(services.NeedInvalid):
        services.recommend(editor, need, item, "again")
    assert Recommendation.objects.count() == 1


def test_author_withdraws_a_recommendation(make_user: Any, client_for: Any) -> None:
    need = _shared_need(make_user, "ES")
    editor = make_user("editor", "ES")
    rec = services.recommend(editor, need, initiative("ES"), "fits")
    other = client_for("editor", "LV")
    assert other.post(reverse("matching:recommendation-delete", args=[rec.pk])).status_code == 403
    client = client_for(None)
    client.force_login(editor)
    assert client.post(reverse("matching:recommendation-delete", args=[rec.pk])).status_code == 302
    assert not Recommendation.objects.exists()


def test_initiative_options_list_visible_matches(client_for: Any) -> None:
    initiative("ES", title="Tejiendo Empleo")
    initiative("ES", title="Tejiendo oculto", published=False)
    html = (
        client_for("editor", "SE")
        .get(reverse("matching:initiative-options"), {"q": "tejiendo"})
        .content.decode()
    )
    assert "Tejiendo Empleo" in html and "oculto" not in html


def test_notifications_page_unread_count_and_mark_read(make_user: Any, client_for: Any) -> None:
    need = _shared_need(make_user, "ES")
    editor = make_user("editor", "ES")
    services.recommend(editor, need, initiative("ES", title="Tejiendo"), "fits")
    asker = need.created_by
    tag = Template("{% load matching_ui %}{% unread_notifications user as n %}{{ n }}")
    assert tag.render(Context({"user": asker})) == "1"
    client = client_for(None)
    client.force_login(asker)
    page = client.get(reverse("matching:notifications")).content.decode()
    assert "recommends “Tejiendo”" in page
    client.post(reverse("matching:notifications-read"))
    assert services.unread_count(asker) == 0
    assert tag.render(Context({"user": editor})) == "0"
