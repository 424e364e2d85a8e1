"""Test data built once and shared: the session's reference data, and rows a module's tests
all read (Django's `setUpTestData`, for pytest fixtures).

`shared_rows(django_db_blocker, build)` opens a transaction around a module's tests; the rows
`build` writes inside it are seen by each of them, each test still runs in its own savepoint
that is rolled back, and the whole lot is rolled back after the module's last test. Have
`build` return ids, and let a function-scoped fixture read fresh instances for each test, so
that one test changing an object in memory cannot leak into the next.

Only for modules whose tests are not transactional (`transaction=True`, `live_server`): those
commit and flush the database, which an open transaction would not survive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import connections, transaction

T = TypeVar("T")


def ensure_reference_data() -> None:
    """Vocabularies, countries, regions, consortium and framework, as `make run` loads them;
    loaded again only when a transactional test has flushed the database since."""
    from buicasus.assessment.services import load_frameworks
    from buicasus.registry.models import Vocabulary
    from buicasus.registry.reference import load_reference

    if not Vocabulary.objects.exists():
        load_reference()
        load_frameworks()


def shared_rows(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """`yield from` it in a module-scoped fixture: `build()`'s rows stay for every test of the
    module, and are rolled back after its last one."""
    with django_db_blocker.unblock():
        ensure_reference_data()
        atomics = []
        for alias in connections:
            atomic = transaction.atomic(using=alias)
            # Marked as a test case's own block, as Django's TestCase marks its class-level
            # one, so that code under test still sees its own `atomic` as the outermost
            # (commit hooks, `durable` blocks) exactly as in a test without shared rows.
            atomic._from_testcase = True  # type: ignore[attr-defined]
            atomic.__enter__()
            atomics.append(atomic)
        try:
            built = build()
        except BaseException:
            _roll_back(atomics)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            _roll_back(atomics)


def _roll_back(atomics: list[transaction.Atomic]) -> None:
    for atomic in reversed(atomics):
        transaction.set_rollback(True, using=atomic.using)
        atomic.__exit__(None, None, None)
