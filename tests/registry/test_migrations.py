"""Migrations are complete and run both ways on the backend under test."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db(transaction=True)
def test_registry_migrations_unapply_and_reapply() -> None:
    executor = MigrationExecutor(connection)
    leaves = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "registry"]
    call_command("migrate", "accounts", "zero", verbosity=0)
    call_command("migrate", "registry", "zero", verbosity=0)
    assert "registry_organisation" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "registry_organisation" in connection.introspection.table_names()
    assert leaves
