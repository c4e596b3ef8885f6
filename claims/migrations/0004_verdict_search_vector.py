"""A stored full-text vector on verdicts for the API's search (``q=``), with its GIN index.

The public verdict list searches the claim's text and the short verdict together. They live in
two tables, so an expression index cannot cover them; a stored column can. The verdict services
(claims.services.verdicts) write it whenever either text changes on a verdict; this migration
fills it for existing rows. PostgreSQL only: on SQLite the column stays NULL and the search
falls back to LIKE.

The expression must stay exactly what ``verdict_search_vector_update`` writes.
"""

import django.contrib.postgres.search
from django.db import migrations

BACKFILL = """
UPDATE claims_verdict AS v
SET search_vector = to_tsvector(
    'simple'::regconfig, COALESCE(c.text, '') || ' ' || COALESCE(v.summary, '')
)
FROM claims_claim AS c
WHERE c.id = v.claim_id
"""
CREATE = [
    BACKFILL,
    "CREATE INDEX IF NOT EXISTS verdict_search_vector_idx ON claims_verdict "
    "USING gin (search_vector)",
]
DROP = ["DROP INDEX IF EXISTS verdict_search_vector_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_search_indexes")]

    operations = [
        migrations.AddField(
            model_name="verdict",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
