import os

import pytest

from claims.services.matching import matching_index_reset

# The encoder is 4-8x slower with several BLAS threads on two cores (shared/measured-facts.md).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")


@pytest.fixture(autouse=True)
def fresh_index():
    """The worker's index is a per-process cache of the database; each test has its own rows."""
    matching_index_reset()
    yield
    matching_index_reset()


@pytest.fixture
def matching_settings(settings):
    settings.CLAIMTRACKER_MATCHING_ENABLED = True
    settings.CLAIMTRACKER_MATCHING = {"CONFIRMED": 0.9, "SUGGESTED": 0.5}
    return settings
