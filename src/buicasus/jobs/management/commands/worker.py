"""`buicasus worker [--batch] [--queue-name Q] [--interval S]`: run background tasks.

django-tasks-db's worker, taking every queue by default, after closing or requeueing the jobs
of workers that died (`services.sweep`). Several workers (on several machines sharing one
PostgreSQL) may run at once; each takes a task by locking its row.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django_tasks_db.management.commands import db_worker

from buicasus.jobs.services import sweep


class Command(db_worker.Command):
    help = "Run background tasks (imports, embeddings, network, duplicates, reports)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        swept = sweep()
        if swept and options["verbosity"]:
            self.stdout.write(f"{swept} lost tasks closed or queued again.")
        super().handle(*args, **options)
