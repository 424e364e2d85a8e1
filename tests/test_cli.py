"""The `buicasus` command: sub-commands and Django's management commands beneath it."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from buicasus.accounts.models import Membership, Role
from buicasus.registry.models import Organisation, Term


def test_help_lists_the_platform_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "buicasus", "help"],
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    names = ("load_reference", "load_demo", "createuser", "compile_messages", "migrate", "import")
    more = ("import_undo", "load_open_data", "export", "find_duplicates", "search_reindex")
    for name in names + more:
        assert name in result.stdout


@pytest.mark.django_db
def test_createuser_with_role_and_country() -> None:
    out = io.StringIO()
    call_command("createuser", "ilze", "--role", "editor", "--country", "lv", stdout=out)
    membership = Membership.objects.get(user__username="ilze")
    assert (membership.role, membership.country.code) == (Role.EDITOR, "LV")
    assert "Created ilze" in out.getvalue()


@pytest.mark.django_db
def test_createuser_rejects_unknown_country_and_missing_country() -> None:
    with pytest.raises(CommandError, match="Unknown country code"):
        call_command("createuser", "x", "--role", "editor", "--country", "ZZ")
    with pytest.raises(CommandError, match="needs --country"):
        call_command("createuser", "y", "--role", "viewer")
    assert not Membership.objects.filter(user__username__in=["x", "y"]).exists()


@pytest.mark.django_db
def test_load_reference_is_idempotent() -> None:
    before = (Term.objects.count(), Organisation.objects.count())
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert (Term.objects.count(), Organisation.objects.count()) == before
    assert "vocabularies" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_marked_as_demo() -> None:
    call_command("load_demo", stdout=io.StringIO())
    first = Organisation.objects.filter(source_name__icontains="demo").count()
    call_command("load_demo", stdout=io.StringIO())
    assert Organisation.objects.filter(source_name__icontains="demo").count() == first > 0
    assert all("Demo" in o.name for o in Organisation.objects.filter(source_name__icontains="demo"))
