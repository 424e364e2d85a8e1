"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis).

Every operation of /api/v1 is called with generated input, as an authenticated administrator
(who may call everything): no answer may be a server error, and every answer must match the
status codes, content type and body schema the document declares. The number of examples per
operation is bounded here; `make fuzz` runs many more (`BUICASUS_FUZZ_EXAMPLES`) and the
coverage phase (`BUICASUS_FUZZ_COVERAGE`).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from buicasus.accounts.models import ApiToken
from buicasus.wsgi import application

EXAMPLES = int(os.environ.get("BUICASUS_FUZZ_EXAMPLES", "8"))
# The coverage phase derives every boundary and negative case of every parameter: about 45
# calls per operation, four fifths of the fuzzing's time. `make fuzz` runs it; `make test`
# runs the schema's examples and the generated cases.
COVERAGE = os.environ.get("BUICASUS_FUZZ_COVERAGE", "") not in {"", "0"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """schemathesis calls the real WSGI handler, whose request signals would close the
    database connection mid-test (Django's own test client disconnects them the same way)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(make_user: Any) -> str:
    user = make_user("admin", None, is_superuser=True)
    return ApiToken.issue(user, "fuzzing")[1]


# Loaded at collection: building the document reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.phases.coverage.enabled = COVERAGE


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case: Any, admin_token: str, db: None) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=CHECKS,
        excluded_checks=[],
    )
