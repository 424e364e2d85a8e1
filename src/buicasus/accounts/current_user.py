"""Who is acting right now, so that signals can record it in the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_current: ContextVar[Any] = ContextVar("buicasus_current_user", default=None)


def get_current_user() -> Any:
    user = _current.get()
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def set_current_user(user: Any) -> None:
    _current.set(user)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every change made inside the block to `user` (CLI, API, tests)."""
    token = _current.set(user)
    try:
        yield
    finally:
        _current.reset(token)
