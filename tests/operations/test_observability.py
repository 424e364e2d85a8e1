"""Health check, request ids and structured logs."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from buicasus.operations.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_unavailable_when_the_data_folder_is_gone(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "missing"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["data_dir"] == {"ok": False}


def test_every_response_carries_a_request_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_proxys_request_id_is_kept_only_when_safe(client: Client) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-1234abcd"})
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    replaced = client.get("/healthz", headers={"X-Request-ID": "bad id\nInjected: yes"})
    assert replaced["X-Request-ID"] != "bad id\nInjected: yes"
    assert "\n" not in replaced["X-Request-ID"]


def _capture(logger_name: str) -> tuple[logging.Logger, io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    return logger, stream, handler


def test_request_lines_are_json_with_the_request_id(client: Client, settings: Any) -> None:
    settings.SLOW_REQUEST_MS = 0  # every request counts as slow, so it is logged as a warning
    logger, stream, handler = _capture("buicasus.requests")
    try:
        response = client.get("/healthz")
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert entry["message"] == "slow request"
    assert entry["level"] == "WARNING"
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["path"] == "/healthz" and entry["status"] == 200
    assert entry["duration_ms"] >= 0


def test_secrets_passed_to_a_log_line_are_hidden() -> None:
    logger, stream, handler = _capture("buicasus.test-secrets")
    try:
        logger.warning("login failed", extra={"password": "hunter2", "username": "janis"})
    finally:
        logger.removeHandler(handler)
    entry = json.loads(stream.getvalue())
    assert entry["password"] == "[hidden]"
    assert entry["username"] == "janis"
    assert "hunter2" not in stream.getvalue()
