"""What `/healthz` checks: the database answers, and the data folder is writable."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection


@dataclass
class Health:
    ok: bool = True
    checks: dict[str, dict[str, object]] = field(default_factory=dict)


def check_health() -> Health:
    health = Health()
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        health.checks["database"] = {
            "ok": True,
            "vendor": connection.vendor,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    except DatabaseError as error:
        health.ok = False
        health.checks["database"] = {"ok": False, "error": type(error).__name__}
        # A dead connection must not stay in the pool: the next request reconnects.
        connection.close_if_unusable_or_obsolete()
    data_dir = settings.DATA_DIR
    writable = data_dir.is_dir() and os.access(data_dir, os.W_OK)
    health.checks["data_dir"] = {"ok": writable}
    health.ok = health.ok and writable
    return health
