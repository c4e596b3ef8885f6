"""The search index migration creates exactly the expressions the queries use."""

import importlib

from claims.selectors.queue import SEARCH_INDEX_SQL
from claims.services.matching import FTS_INDEXES_SQL

migration = importlib.import_module("claims.migrations.0003_search_indexes")
# 0007 recreated matching's full-text indexes over the standalone claim text; 0020 replaced them
# by indexes on a stored tsvector column with the same expression.
standalone = importlib.import_module("claims.migrations.0007_claim_candidates_standalone")
stored_tsv = importlib.import_module("claims.migrations.0020_claim_text_tsv")


def test_migration_creates_the_indexes_the_queries_use():
    assert SEARCH_INDEX_SQL in migration.CREATE
    for sql in FTS_INDEXES_SQL:
        assert sql in stored_tsv.CREATE
    assert len(migration.DROP) == len(migration.CREATE)
    assert len(standalone.DROP) == len(standalone.CREATE) == len(standalone.RESTORE)
    # Going back restores exactly what 0003 created.
    assert set(standalone.RESTORE) <= set(migration.CREATE)


def test_the_stored_tsvector_is_the_expression_the_indexes_held():
    from claims.services.matching.fts import TSV_SQL

    assert f"GENERATED ALWAYS AS {TSV_SQL} STORED" in stored_tsv.CREATE[0]
    # Going back restores 0007's expression indexes exactly.
    assert set(stored_tsv.RESTORE[:-1]) == set(standalone.CREATE)
