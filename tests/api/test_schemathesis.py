"""Property-based contract test: schemathesis generates requests from our live OpenAPI schema
and checks every answer (no 5xx, documented status codes, content types and response bodies).

Runs in-process over WSGI against the test database, bounded to a few examples per operation
(about 20-40 s). Creating webhooks is excluded because validating a random URL resolves its
host name (DNS is network); tests/services/test_webhooks.py covers it against 127.0.0.1.

Reproducible by default: Hypothesis runs derandomized (`derandomize=True`), so every CI run
tries the same examples (schemathesis' explicit and boundary examples first, then the same
generated ones) and a failure in CI fails the same way on your machine. A random search is
for hunting new mismatches locally, wider and with a seed of your choice:

    CLAIMTRACKER_SCHEMATHESIS_EXAMPLES=100 CLAIMTRACKER_SCHEMATHESIS_SEED=random \
        python -m pytest tests/api/test_schemathesis.py -q
    CLAIMTRACKER_SCHEMATHESIS_SEED=1234 ...        # one particular search, again
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME ... python -m pytest -m postgres ...

(`--hypothesis-seed=N` also works once CLAIMTRACKER_SCHEMATHESIS_SEED is set: derandomize
would override it). Each mismatch found that way gets a deterministic regression test in
tests/api/test_schema_mismatches.py before it is fixed.
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, seed, settings

from claims.services.api_keys import api_key_create
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceSourceFactory,
    PublishedVerdictFactory,
)

MAX_EXAMPLES = int(os.environ.get("CLAIMTRACKER_SCHEMATHESIS_EXAMPLES", "8"))
# Unset: derandomized (CI). "random": a new search each run. A number: that search.
SEED = os.environ.get("CLAIMTRACKER_SCHEMATHESIS_SEED", "")


# Loading the schema needs no database (pytest-django has configured Django by import time).
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application()).exclude(
    operation_id="webhooks_create"
)
# A body past DATA_UPLOAD_MAX_MEMORY_SIZE is refused before it is parsed, with the documented 413
# (no body the schema allows is that large: claims.api.schema.MAX_TEXT_LENGTH). A negative example
# far past a maxLength can be; 413 refuses it as clearly as a 400 does.
_rejection = schema.config.checks.negative_data_rejection
schema.config.checks.negative_data_rejection = type(_rejection)(
    expected_statuses=[*_rejection.expected_statuses, "413"]
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Called over raw WSGI, each request's end would close the database connection that holds
    # the test's transaction (on PostgreSQL; SQLite's in-memory one ignores it). Django's test
    # client disconnects the same handlers around its requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def full_key(db):
    for _ in range(3):
        verdict = PublishedVerdictFactory()
        EvidenceSourceFactory(verdict=verdict)
    ClaimFactory(article=ArticleFactory())
    return api_key_create(name="Schemathesis", scopes=["claims:read", "articles:submit"]).raw_key


def _call_and_validate(case, key: str) -> None:
    cache.clear()  # throttle counters: this test is about the contract, not the quota
    if case.query:
        # Cursors are opaque: only one we issued is valid, and a made-up one is a clear 400
        # (tests/api/test_schema_mismatches.py). No schema can say which strings we issued.
        case.query.pop("cursor", None)
    # Both directions are checked: every request the schema allows is accepted (positive data)
    # and every request it forbids is refused (negative data: unknown fields, wrong types,
    # values out of range, bodies that are not JSON).
    case.call_and_validate(headers={"Authorization": f"Api-Key {key}"})


_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not SEED,
)


def BOUNDED(test):
    """The settings above, plus the seed CLAIMTRACKER_SCHEMATHESIS_SEED names, if any."""
    test = _SETTINGS(test)
    return seed(int(SEED))(test) if SEED.isdigit() else test


@schema.parametrize()
@BOUNDED
def test_api_conforms_to_its_schema(case, full_key):
    _call_and_validate(case, full_key)


def test_the_ci_run_is_derandomized():
    assert SEED or _SETTINGS.derandomize


@pytest.mark.postgres
@schema.parametrize()
@BOUNDED
def test_api_conforms_to_its_schema_on_postgresql(case, full_key):
    """Again in bin/test's PostgreSQL run, where full-text search and cursors differ."""
    _call_and_validate(case, full_key)
