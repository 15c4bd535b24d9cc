"""Schemathesis against /openapi.json on the ASGI app, every operation, with requests that fit
the schema and requests that break it: no 5xx, every status documented, every response
(errors included) in its documented shape, and schema-breaking requests refused with a 4xx.

Bounded: a few derandomized examples per operation and mode (about 20 s in all). One app and
one database for the whole walk, so the failures of every operation are reported together.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as run_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.config import Settings
from app.main import create_app

EXAMPLES = 10
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# Schemathesis gives each request 10 s by default: a wall-clock limit. On a machine busy
# with other work one answer can take longer; Hypothesis replays that request, it answers in
# time, and the walk fails with "unreliable results". This limit only catches a request that
# hangs (a hang fails again on replay and is reported as itself).
HANG_LIMIT_S = 300


@pytest.fixture
def schema(settings: Settings) -> Iterator[schemathesis.BaseSchema]:
    # Schemathesis' ASGI client sends `Host: testserver`; the Host allowlist must know it.
    settings.allowed_hosts = ["testserver"]
    loaded = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings))
    yield loaded
    from schemathesis.python import asgi

    asgi.shutdown_lifespans()  # the app's lifespan would otherwise outlive its database


def operations(schema: schemathesis.BaseSchema) -> list[schemathesis.APIOperation]:
    found = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation the schema describes wrongly
        found.append(result.ok())
    return found


def exercise(operation: schemathesis.APIOperation, mode: GenerationMode) -> str | None:
    """Run the examples; the first failure's report, or None."""

    # Schema-valid input may still break a rule JSON Schema cannot state ("a note, a verdict
    # or a tag", ids that must exist together), so a 422 for it is allowed; every other
    # check (no 5xx, documented status, response shape, negative data refused) stands.
    @run_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=[positive_data_acceptance], timeout=HANG_LIMIT_S)

    try:
        run()
    except Unsatisfiable:
        # Nothing to break in an operation without parameters or body.
        return None if mode is GenerationMode.NEGATIVE else "no example could be generated"
    except Exception as exc:  # a failed check, reported with the request that caused it
        # A failure that did not happen again is reported with what happened the first time.
        first = "".join(f"\n{e!r}" for e in getattr(exc, "exceptions", ()))
        return f"{exc}{first}"
    return None


def test_the_schema_lists_the_api(schema: schemathesis.BaseSchema) -> None:
    listed = {(op.method.upper(), op.path) for op in operations(schema)}
    assert {("POST", "/api/annotations"), ("PATCH", "/api/annotations/{annotation_id}"),
            ("POST", "/api/articles"), ("GET", "/healthz")} <= listed  # fmt: skip
    assert len(listed) >= 20


def test_every_operation_conforms_to_its_schema(schema: schemathesis.BaseSchema) -> None:
    failures = []
    for operation in operations(schema):
        for mode in MODES:
            report = exercise(operation, mode)
            if report is not None:
                failures.append(
                    f"{operation.method.upper()} {operation.path} ({mode.value}):\n{report}"
                )
    assert not failures, "\n\n".join(failures)
