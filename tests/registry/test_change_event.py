"""Every write path — form, API, admin, import, undo, merge, restore of a merge — announces its
change once, and audit, search and embeddings each hear of every record exactly once."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from buicasus.dedup import merging
from buicasus.importer.services import import_records, undo_batch
from buicasus.registry import changes
from buicasus.registry.models import AuditEntry, Initiative, Organisation
from buicasus.search import signals as search_signals
from buicasus.semantic import signals as semantic_signals
from tests.importer.builders import initiative, org
from tests.registry.factories import organisation, term

pytestmark = pytest.mark.django_db


@dataclass
class Heard:
    """What the change event said, and what the search index was asked to do."""

    events: list[tuple[str, str, frozenset[int]]] = field(default_factory=list)
    indexed: Counter[tuple[str, int]] = field(default_factory=Counter)
    embedded: Counter[int] = field(default_factory=Counter)

    def announced(self, kind: str, pk: int) -> list[str]:
        return [action for k, action, ids in self.events if k == kind and pk in ids]

    def once(self, kind: str, pk: int, action: str) -> None:
        assert self.announced(kind, pk) == [action], self.events
        assert self.indexed[(kind, pk)] == 1, self.indexed
        if kind == "initiative":
            assert self.embedded[pk] == 1, self.embedded

    def clear(self) -> None:
        self.events.clear()
        self.indexed.clear()
        self.embedded.clear()


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Heard]:
    spy = Heard()

    def receiver(sender: str, ids: frozenset[int], action: str, **kw: Any) -> None:
        spy.events.append((sender, action, ids))

    real = search_signals.reindex

    def reindex(kind: str, ids: list[int], **kw: Any) -> int:
        spy.indexed.update((kind, pk) for pk in ids)
        return real(kind, ids, **kw)

    monkeypatch.setattr(search_signals, "reindex", reindex)
    real_embed = semantic_signals.initiatives_changed

    def initiatives_changed(ids: frozenset[int], action: str) -> None:
        spy.embedded.update(ids)
        real_embed(ids, action)

    monkeypatch.setattr(semantic_signals, "initiatives_changed", initiatives_changed)
    changes.records_changed.connect(receiver, weak=False, dispatch_uid="test-heard")
    yield spy
    changes.records_changed.disconnect(dispatch_uid="test-heard")


def entries(model: str, pk: int, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=model, object_id=str(pk), action=action))


def login(
    make_user: Callable[..., Any], role: str, country: str | None = None, **extra: Any
) -> Client:
    client = Client()
    client.force_login(make_user(role, country, **extra))
    return client


# --- the event itself ------------------------------------------------------------------------


def test_one_transaction_is_one_announcement_with_the_strongest_action(heard: Heard) -> None:
    with transaction.atomic():
        record = organisation("LV", name="Viens")
        record.city = "Rīga"
        record.save()
        record.identifiers.create(scheme=term("identifier-scheme", "lv-reg"), value="4000")
        assert heard.events == []  # nothing before the commit
    heard.once("organisation", record.pk, changes.CREATED)


def test_a_rolled_back_transaction_announces_nothing(heard: Heard) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        organisation("LV", name="Neviens")
        raise RuntimeError
    kept = organisation("LV", name="Cits")  # the next transaction is not held back
    assert heard.events == [("organisation", changes.CREATED, frozenset({kept.pk}))]


def test_a_savepoint_that_announced_first_and_rolled_back_announces_nothing(heard: Heard) -> None:
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            organisation("LV", name="Otrā")
            raise RuntimeError
        first = organisation("LV", name="Pirmā")
    assert heard.events == [("organisation", changes.CREATED, frozenset({first.pk}))]


def test_what_a_rolled_back_savepoint_added_is_announced_harmlessly(heard: Heard) -> None:
    """Ids added to a batch that outlives the savepoint stay in it: listeners look at records
    as they are after the commit, so the search index just finds nothing to keep."""
    with transaction.atomic():
        first = organisation("LV", name="Pirmā")
        with pytest.raises(RuntimeError), transaction.atomic():
            ghost = organisation("LV", name="Otrā")
            raise RuntimeError
    assert heard.events == [("organisation", changes.CREATED, frozenset({first.pk, ghost.pk}))]
    assert not Organisation.objects.filter(pk=ghost.pk).exists()


def test_unknown_actions_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown action"):
        changes.announce("organisation", [1], "renamed")


# --- every write path ------------------------------------------------------------------------


def test_form_create_and_edit(heard: Heard, make_user: Callable[..., Any]) -> None:
    client = login(make_user, "editor", "LV")
    response = client.post(
        reverse("registry:initiative-create"),
        {
            "title": "Jauna iniciatīva",
            "description": "Apraksts.",
            "description_language": "lv",
            "country": "LV",
            "sdgs": ["1", "8"],
            "fundings": "esf: 1000",
            "published": "on",
        },
    )
    assert response.status_code == 302
    created = Initiative.objects.get(title="Jauna iniciatīva")
    heard.once("initiative", created.pk, changes.CREATED)
    assert len(entries("initiative", created.pk, "create")) == 1

    record = organisation("LV", name="Darbnīca", city="Cēsis")
    heard.clear()
    edit = client.get(reverse("registry:organisation-update", args=[record.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v not in (None, [])}
    data.update(name="Darbnīca", actor_type="social-enterprise", country="LV", city="Valmiera")
    data["published"] = "on"
    response = client.post(reverse("registry:organisation-update", args=[record.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    heard.once("organisation", record.pk, changes.CHANGED)
    (entry,) = entries("organisation", record.pk, "update")
    assert entry.changes["city"] == ["Cēsis", "Valmiera"]


def test_api_patch(heard: Heard, make_user: Callable[..., Any]) -> None:
    record = organisation("LV", name="API darbnīca", city="Cēsis")
    heard.clear()
    client = login(make_user, "editor", "LV")
    response = client.patch(
        f"/api/v1/organisations/{record.pk}",
        json.dumps({"city": "Talsi"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    heard.once("organisation", record.pk, changes.CHANGED)
    (entry,) = entries("organisation", record.pk, "update")
    assert entry.changes["city"] == ["Cēsis", "Talsi"]


def test_admin_change(heard: Heard, make_user: Callable[..., Any]) -> None:
    record = organisation("LV", name="Admin darbnīca", city="Cēsis")
    heard.clear()
    client = login(make_user, "admin", is_staff=True)
    url = reverse("admin:registry_organisation_change", args=[record.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page)
    data["city"] = "Ogre"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    heard.once("organisation", record.pk, changes.CHANGED)
    (entry,) = entries("organisation", record.pk, "update")
    assert entry.changes["city"] == ["Cēsis", "Ogre"]


def admin_form_data(page: Any) -> dict[str, Any]:
    """What the admin's change form would post back unchanged: its fields and inlines."""
    data: dict[str, Any] = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[sub.add_prefix(name)] = value
    return data


def test_import_and_its_undo(heard: Heard, make_user: Callable[..., Any]) -> None:
    admin = make_user("admin")
    report = import_records([org("o1"), initiative("i1")], source="event-test", user=admin)
    new_org = Organisation.objects.get(source_name="event-test")
    new_init = Initiative.objects.get(source_name="event-test")
    heard.once("organisation", new_org.pk, changes.CREATED)
    heard.once("initiative", new_init.pk, changes.CREATED)
    assert len(entries("organisation", new_org.pk, "create")) == 1

    heard.clear()
    import_records([org("o1", city="Lyon")], source="event-test", user=admin)
    heard.once("organisation", new_org.pk, changes.CHANGED)
    assert len(entries("organisation", new_org.pk, "update")) == 1

    later = import_records([org("o2")], source="event-test-2", user=admin)
    heard.clear()
    undo_batch(later.batch_id, admin)
    gone = Organisation.objects.filter(source_name="event-test-2")
    assert not gone.exists()
    deleted = [pk for k, a, ids in heard.events if a == changes.DELETED for pk in ids]
    assert len(deleted) == 1
    heard.once("organisation", deleted[0], changes.DELETED)
    assert len(entries("organisation", deleted[0], "delete")) == 1
    assert report.batch_id


def test_merge_and_its_undo(heard: Heard, make_user: Callable[..., Any]) -> None:
    editor = make_user("editor", "FR")
    kept = organisation("FR", name="Atelier Solidaire")
    merged = organisation("FR", name="Atelier solidaire (doublon)", city="Lyon")
    heard.clear()
    record = merging.merge(editor, kept.pk, merged.pk)
    heard.once("organisation", kept.pk, changes.CHANGED)
    heard.once("organisation", merged.pk, changes.DELETED)
    assert len(entries("organisation", merged.pk, "delete")) == 1
    merge_entries = [e for e in entries("organisation", kept.pk, "update") if "merged" in e.changes]
    assert len(merge_entries) == 1

    heard.clear()
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    merging.undo(editor, record)
    assert Organisation.objects.filter(pk=merged.pk).exists()
    heard.once("organisation", merged.pk, changes.CREATED)
    heard.once("organisation", kept.pk, changes.CHANGED)
    restored = [e for e in entries("organisation", merged.pk, "create") if e.pk > before]
    assert len(restored) == 1
