"""A database migrated before countries moved to the reference app keeps every row and link.

The move is state only (the tables kept their names), so this walks a real database back to
before it, writes rows through the models as they were then, and migrates forward again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from buicasus.accounts.models import Membership
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import Initiative, Organisation

BEFORE_THE_MOVE = [("reference", None)]


def _executor() -> MigrationExecutor:
    """A fresh executor: it reads which migrations are applied when it is made."""
    return MigrationExecutor(connection)


def _migrate_to_latest() -> None:
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@pytest.fixture
def old_apps() -> Iterator[Any]:
    """The models as they were before the move; the database is brought back up afterwards,
    whatever the test did."""
    _executor().migrate(BEFORE_THE_MOVE)
    executor = _executor()
    state = executor.loader.project_state(list(executor.loader.applied_migrations))
    try:
        yield state.apps
    finally:
        _migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_rows_and_links_survive_the_move(old_apps: Any) -> None:
    assert "reference" not in {m._meta.app_label for m in old_apps.get_models()}
    country = old_apps.get_model("registry", "Country").objects.create(
        code="ZZ", names={"en": "Zedland"}, official_languages=["en"], population=1200
    )
    region_model = old_apps.get_model("registry", "NutsRegion")
    upper = region_model.objects.create(code="ZZ1", name="Upper", level=1, country=country)
    lower = region_model.objects.create(
        code="ZZ11", name="Lower", level=2, country=country, parent=upper
    )
    actor_type = old_apps.get_model("registry", "Term").objects.filter(
        vocabulary__key="actor-type"
    )[0]
    org = old_apps.get_model("registry", "Organisation").objects.create(
        name="Zed works", actor_type=actor_type, country=country, region=lower
    )
    initiative = old_apps.get_model("registry", "Initiative").objects.create(
        title="Zed pilot", country=country
    )
    initiative.regions.add(upper, lower)
    user = old_apps.get_model("auth", "User").objects.create(username="zed-editor")
    old_apps.get_model("accounts", "Membership").objects.create(
        user=user, role="editor", country=country
    )
    content_type = old_apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="registry", model="country"
    )[0]
    old_apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename="change_country", defaults={"name": "Can change"}
    )

    _migrate_to_latest()

    zz = Country.objects.get(code="ZZ")
    assert (zz.pk, zz.name("en"), zz.population) == (country.pk, "Zedland", 1200)
    assert NutsRegion.objects.get(code="ZZ11").parent == NutsRegion.objects.get(code="ZZ1")
    assert list(zz.regions.values_list("code", flat=True)) == ["ZZ1", "ZZ11"]
    moved = Organisation.objects.get(pk=org.pk)
    assert (moved.country, moved.region.code) == (zz, "ZZ11")
    kept = Initiative.objects.get(pk=initiative.pk)
    assert (kept.country, sorted(r.code for r in kept.regions.all())) == (zz, ["ZZ1", "ZZ11"])
    assert Membership.objects.get(user__username="zed-editor").country == zz
    # Permissions granted on countries follow them: same content type, new app label.
    assert ContentType.objects.get_for_model(Country).pk == content_type.pk
    assert Permission.objects.get(codename="change_country").content_type.app_label == "reference"


def test_the_tables_keep_their_names() -> None:
    assert (Country._meta.db_table, NutsRegion._meta.db_table) == (
        "registry_country",
        "registry_nutsregion",
    )
    assert Initiative.regions.through._meta.db_table == "registry_initiative_regions"
