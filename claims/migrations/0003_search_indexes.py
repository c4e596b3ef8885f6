"""Full-text search indexes (PostgreSQL only; SQLite searches with LIKE and needs none).

Expression indexes: each must stay exactly the expression its query uses —
claims.selectors.queue (the queue's search, "simple" configuration) and
claims.services.matching (lexical candidates, one configuration per language).
"""

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS claim_text_search_idx ON claims_claim "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, '')))",
    "CREATE INDEX IF NOT EXISTS claim_text_fts_de ON claims_claim "
    "USING gin (to_tsvector('german'::regconfig, COALESCE(text, ''))) WHERE language = 'de'",
    "CREATE INDEX IF NOT EXISTS claim_text_fts_en ON claims_claim "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''))) WHERE language = 'en'",
    "CREATE INDEX IF NOT EXISTS claim_text_fts_other ON claims_claim "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(text, ''))) "
    "WHERE language NOT IN ('de', 'en')",
]
DROP = [
    "DROP INDEX IF EXISTS claim_text_search_idx",
    "DROP INDEX IF EXISTS claim_text_fts_de",
    "DROP INDEX IF EXISTS claim_text_fts_en",
    "DROP INDEX IF EXISTS claim_text_fts_other",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_roles")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
