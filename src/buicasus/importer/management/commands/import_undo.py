"""`buicasus import-undo BATCH`: undo an import batch."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from buicasus.importer.errors import ImportFailure
from buicasus.importer.management.commands._common import acting_user
from buicasus.importer.services import undo_batch


class Command(BaseCommand):
    help = "Undo an import batch: delete what it created, restore what it updated."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch", type=int)
        parser.add_argument("--user", help="undo as this user (default: a platform admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = acting_user(options["user"])
        try:
            report = undo_batch(options["batch"], user)
        except ImportFailure as exc:
            raise CommandError(exc.describe()) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Batch #%(id)s undone: %(deleted)s records deleted, %(restored)s restored, "
                "%(unlinked)s source links removed."
            )
            % {
                "id": report.batch_id,
                "deleted": report.deleted,
                "restored": report.restored,
                "unlinked": report.unlinked,
            }
        )
