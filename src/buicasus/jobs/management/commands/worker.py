"""`buicasus worker [--batch] [--queue-name Q] [--interval S] [--priority N]`: run background
tasks.

django-tasks-db's worker, taking every queue by default. It closes or requeues the jobs of
workers that died (`services.sweep`) when it starts and every few minutes. Several workers
(on several machines sharing one PostgreSQL) may run at once; each takes a task by locking
its row.

A worker yields to the web: it runs at a lower CPU priority, its encoder uses one core fewer
than the machine has, and OpenMP threads wait without spinning. On two cores, an encoder on
both spinning against a request's query encoding made searches take a minute.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from buicasus.jobs.services import sweep

log = logging.getLogger(__name__)
SWEEP_EVERY = 300.0  # seconds


def yield_to_the_web(priority: int) -> None:
    """Set before the encoder loads (OpenMP reads these once, when it starts)."""
    cores = os.cpu_count() or 1
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, cores - 1)))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if priority > 0:
        try:
            os.nice(priority)
        except OSError:  # not allowed here: run at the same priority
            log.warning("could not lower the worker's priority")


def _sweep_now_and_then(stop: threading.Event) -> None:
    while not stop.wait(SWEEP_EVERY):
        try:
            sweep()
        except Exception:
            log.exception("sweep failed")
        finally:
            close_old_connections()
            connection.close()


class Command(db_worker.Command):
    help = "Run background tasks (imports, embeddings, network, duplicates, reports)."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
        parser.add_argument(
            "--priority",
            type=int,
            default=10,
            help="How much lower than the web the worker's CPU priority is (nice; 0: same).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        yield_to_the_web(options.pop("priority"))
        swept = sweep()
        if swept and options["verbosity"]:
            self.stdout.write(f"{swept} lost tasks closed or queued again.")
        stop = threading.Event()
        if not options["batch"]:
            threading.Thread(target=_sweep_now_and_then, args=(stop,), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
