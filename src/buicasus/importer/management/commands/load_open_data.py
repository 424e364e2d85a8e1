"""`buicasus load-open-data [--all | --sample] [--source NAME ...] [--data-dir DIR]`."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buicasus.importer.errors import ImportFailure
from buicasus.importer.open_data import (
    DEFAULT_DATA_DIR,
    SOURCE_NAMES,
    OpenDataError,
    load_open_data,
)
from buicasus.importer.services import default_user


class Command(BaseCommand):
    help = (
        "Load the real open data sets (ESS France numérique, DSI4EU 2017, EU structural funds "
        "2016) through their shipped mappings; a deterministic sample by default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        size = parser.add_mutually_exclusive_group()
        size.add_argument("--all", action="store_true", help="load every row, with progress")
        size.add_argument(
            "--sample", action="store_true", help="load a representative subset (the default)"
        )
        parser.add_argument(
            "--source",
            action="append",
            choices=SOURCE_NAMES,
            metavar="NAME",
            help=f"load only this source (repeatable): {', '.join(SOURCE_NAMES)}",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="folder holding the data sets (default: ../shared/data)",
        )

        parser.add_argument(
            "--user", help="record the batches as this user's (default: a platform admin, if any)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        everything = bool(options["all"])
        user = _user(options["user"])
        try:
            report = load_open_data(
                options["data_dir"],
                sample=not everything,
                sources=options["source"],
                progress=everything,
                user=user,
                echo=self.stdout.write,
            )
        except OpenDataError as exc:
            raise CommandError(str(exc)) from exc
        except ImportFailure as exc:
            raise CommandError(exc.describe()) from exc
        for note in report.notes:
            self.stdout.write(_("note: %(note)s") % {"note": note})
        if report.missing_data and everything:
            raise CommandError(_("No open data folder: nothing loaded."))
        if report.results:
            self.stdout.write(
                _("Open data: %(files)d files in %(seconds).1f s.")
                % {"files": len(report.results), "seconds": report.seconds}
            )


def _user(username: str | None) -> Any:
    """The named user, else a platform admin, else nobody (a system load, like load-reference).

    The batches are recorded as this user's, and the user's rights apply: records of a country
    the user may not edit are rejected. A platform admin may write every country.
    """
    if not username:
        return default_user()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user named “%(name)s”.") % {"name": username})
    return user
