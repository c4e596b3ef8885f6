import os

import pytest

from claims.services.factchecks.matching import factcheck_index_reset
from claims.services.matching import matching_index_reset

# The encoder is 4-8x slower with several BLAS threads on two cores.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


@pytest.fixture(autouse=True)
def fresh_indexes():
    """The worker's indexes are per-process caches of the database; each test has its own rows."""
    matching_index_reset()
    factcheck_index_reset()
    yield
    matching_index_reset()
    factcheck_index_reset()


@pytest.fixture
def local_fetch(settings):
    """The desk's fetcher may reach the tests' local server (127.0.0.1) only."""
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
    }
    return settings
