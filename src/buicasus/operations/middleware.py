"""Request ids and timings: every response carries `X-Request-ID`, every log line written while
serving it names the id, and requests slower than `BUICASUS_SLOW_REQUEST_MS` are logged."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from buicasus.operations.request_context import request_id

log = logging.getLogger("buicasus.requests")
# A proxy's id is reused only when it looks like one: it ends up in logs and headers.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response["X-Request-ID"] = rid
            fields = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(elapsed_ms, 1),
            }
            if elapsed_ms >= settings.SLOW_REQUEST_MS:
                log.warning("slow request", extra=fields)
            else:
                log.info("request", extra=fields)
            return response
        finally:
            request_id.reset(token)
