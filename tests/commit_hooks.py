"""Commit hooks behave in rolled-back tests as they do in production.

pytest-django wraps each non-transactional test in a transaction that never commits, so
`transaction.on_commit` hooks — the change event that search, embeddings and the network
listen to, and task enqueueing — would never run. Here, inside such a test:

- a hook registered outside any transaction of the code under test runs at once, as it would
  in autocommit mode;
- a hook registered inside the code's own outermost `atomic` block runs when that block exits
  without an error (its "commit"), and is dropped when it rolls back, as Django does.

Hooks are collected with Django's own `captureOnCommitCallbacks`. Transactional tests commit
for real and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import TestCase

_STACK = "_test_commit_captures"


def _only_test_blocks(connection: BaseDatabaseWrapper) -> bool:
    blocks = connection.atomic_blocks
    return bool(blocks) and all(getattr(b, "_from_testcase", False) for b in blocks)


@pytest.fixture(scope="session", autouse=True)
def _commit_hooks_as_in_production() -> Iterator[None]:
    original_on_commit = BaseDatabaseWrapper.on_commit
    original_enter = transaction.Atomic.__enter__
    original_exit = transaction.Atomic.__exit__

    def on_commit(self: BaseDatabaseWrapper, func: Any, robust: bool = False) -> None:
        if _only_test_blocks(self):
            func()
            return
        original_on_commit(self, func, robust)

    def enter(self: transaction.Atomic) -> None:
        connection = transaction.get_connection(self.using)
        stack = connection.__dict__.setdefault(_STACK, [])
        if _only_test_blocks(connection) and not getattr(self, "_from_testcase", False):
            capture = TestCase.captureOnCommitCallbacks(using=self.using or DEFAULT_DB_ALIAS)
            stack.append((capture, capture.__enter__()))
        else:
            stack.append(None)
        original_enter(self)

    def exit(self: transaction.Atomic, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        connection = transaction.get_connection(self.using)
        captured = connection.__dict__[_STACK].pop()
        original_exit(self, exc_type, exc_value, traceback)
        if captured is None:
            return
        capture, callbacks = captured
        capture.__exit__(None, None, None)  # collects what survived the block's savepoints
        if exc_type is None:
            for callback in callbacks:
                callback()

    BaseDatabaseWrapper.on_commit = on_commit  # type: ignore[method-assign]
    transaction.Atomic.__enter__ = enter  # type: ignore[method-assign]
    transaction.Atomic.__exit__ = exit  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseDatabaseWrapper.on_commit = original_on_commit  # type: ignore[method-assign]
        transaction.Atomic.__enter__ = original_enter  # type: ignore[method-assign]
        transaction.Atomic.__exit__ = original_exit  # type: ignore[method-assign]
