"""Faults the platform answers cleanly instead of with a 500 page: the database gone or locked
(503, "try again in a moment") and a full disk (507, "nothing was saved").

`ServiceUnavailableMiddleware` turns `OperationalError`/`InterfaceError` raised while serving a
request (PostgreSQL restarted or the connection terminated, SQLite locked or its file gone)
into a translated 503 page (JSON for the API) with `Retry-After`, and closes the broken
connection so the next request reconnects: the app recovers without a restart. An `OSError`
with ENOSPC/EDQUOT (disk full, quota exceeded) becomes a 507 page. Both are logged as errors
with the request id. Pages and API are told apart by path (`/api/`).

The pages are rendered without the request's context processors: they must not touch the
database that just failed.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger("buicasus.operations")
RETRY_AFTER_SECONDS = 5
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


def is_disk_full(error: BaseException) -> bool:
    """Whether an exception (or what caused it) is "no space left" or "quota exceeded"."""
    while error is not None:
        if isinstance(error, OSError) and error.errno in DISK_FULL:
            return True
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return False


def close_broken_connections() -> None:
    """Drop every connection that errored, so the next use opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            conn.needs_rollback = True
            continue  # the outermost atomic block rolls back and closes
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a dead connection may fail to close; forget it
            conn.connection = None


def unavailable_response(
    request: HttpRequest, status: int, title: str, message: str
) -> HttpResponse:
    """The 503/507 answer: JSON `{"detail": …}` for the API, a small page otherwise."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        html = render_to_string(
            "operations/unavailable.html", {"title": title, "message": message, "status": status}
        )
        response = HttpResponse(html, status=status)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """A dropped or locked database → 503; a full disk → 507; never a 500 traceback page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            log.error(
                "database unavailable",
                extra={"path": request.path, "error": f"{type(exception).__name__}: {exception}"},
            )
            close_broken_connections()
            return unavailable_response(
                request,
                503,
                _("Temporarily unavailable"),
                _(
                    "The database cannot be reached at the moment, so nothing was read or "
                    "saved. Please try again in a few seconds."
                ),
            )
        if is_disk_full(exception):
            log.error("disk full", extra={"path": request.path, "error": str(exception)})
            return unavailable_response(
                request,
                507,
                _("The server's disk is full"),
                _(
                    "The server has no space left to store this, so nothing was saved. Please "
                    "tell the platform administrator, and try again later."
                ),
            )
        return None
