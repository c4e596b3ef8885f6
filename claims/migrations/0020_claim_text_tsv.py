"""Matching's full-text search reads a stored tsvector instead of computing it per row
(PostgreSQL only; SQLite has no full-text query and is left alone).

`ts_rank_cd(to_tsvector(...), q)` recomputed the tsvector of every row the query matched (up to
`LEXICAL_ROW_BUDGET` rows, ~30-60 us each): the largest item of matching on the database server
(docs/matching.md, "Ingestion cost"). A generated column holds the same expression once per row,
computed when the claim is written (as the expression indexes already did), and three partial GIN
indexes on it replace the expression indexes of 0007. The statements must stay exactly those of
`claims.services.matching.fts` (tests/test_search_indexes.py). Not in the model on purpose: a
generated column with PostgreSQL's text search functions has no SQLite equivalent, and only the
raw full-text queries read it.

Adding a stored generated column rewrites the table under an exclusive lock (`migrate` took 28 s
wall for 22,600 claims on the loaded 2-core bench machine, Django's start included): on a large
desk run it when ingestion is paused (docs/matching.md, "Ingestion cost").
"""

from django.db import migrations

TEXT = "COALESCE(NULLIF(standalone, ''), text, '')"
TSV = (
    "(CASE "
    f"WHEN language = 'de' THEN to_tsvector('german'::regconfig, {TEXT}) "
    f"WHEN language = 'en' THEN to_tsvector('english'::regconfig, {TEXT}) "
    f"ELSE to_tsvector('simple'::regconfig, {TEXT}) END)"
)
WHERE = {
    "de": "WHERE language = 'de'",
    "en": "WHERE language = 'en'",
    "other": "WHERE language NOT IN ('de', 'en')",
}
INDEXES = [
    f"CREATE INDEX IF NOT EXISTS claim_text_tsv_{name} ON claims_claim USING gin (text_tsv) {where}"
    for name, where in WHERE.items()
]
CREATE = [
    f"ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS text_tsv tsvector "
    f"GENERATED ALWAYS AS {TSV} STORED",
    *INDEXES,
    *(f"DROP INDEX IF EXISTS claim_text_fts_{name}" for name in WHERE),
]
# Going back: 0007's expression indexes, then the column goes (its indexes with it).
RESTORE = [
    f"CREATE INDEX IF NOT EXISTS claim_text_fts_{name} ON claims_claim "
    f"USING gin (to_tsvector('{config}'::regconfig, {TEXT})) {WHERE[name]}"
    for name, config in (("de", "german"), ("en", "english"), ("other", "simple"))
] + ["ALTER TABLE claims_claim DROP COLUMN IF EXISTS text_tsv"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0019_claim_standalone_needs_context")]

    operations = [migrations.RunPython(_run(CREATE), _run(RESTORE))]
