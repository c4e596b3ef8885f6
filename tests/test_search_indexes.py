"""The search index migration creates exactly the expressions the queries use."""

import importlib

from claims.selectors.queue import SEARCH_INDEX_SQL
from claims.services.matching import FTS_INDEXES_SQL

migration = importlib.import_module("claims.migrations.0003_search_indexes")
# 0007 recreated matching's full-text indexes over the standalone claim text.
standalone = importlib.import_module("claims.migrations.0007_claim_candidates_standalone")


def test_migration_creates_the_indexes_the_queries_use():
    assert SEARCH_INDEX_SQL in migration.CREATE
    for sql in FTS_INDEXES_SQL:
        assert sql in standalone.CREATE
    assert len(migration.DROP) == len(migration.CREATE)
    assert len(standalone.DROP) == len(standalone.CREATE) == len(standalone.RESTORE)
    # Going back restores exactly what 0003 created.
    assert set(standalone.RESTORE) <= set(migration.CREATE)
