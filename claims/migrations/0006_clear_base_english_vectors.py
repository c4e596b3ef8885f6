"""Drop the English matching vectors stored before the fine-tuned English encoder shipped.

Claim matching now runs all-MiniLM-L6-v2 with the fine-tuned delta in
claims/nlp/matching/minilm_tuned.npz; a vector of the base model compared with one of the tuned
model is not a similarity the blend was fitted on. Cleared vectors are what the index already
handles (a claim without an English vector gets the adapted multilingual similarity in the English
columns) and what `manage.py embed_claims` fills in again; restart the NLP workers after it.
"""

from django.db import migrations


def clear_english_vectors(apps, schema_editor) -> None:
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.filter(embedding_en__isnull=False).update(embedding_en=None)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_claim_embedding_en"),
    ]

    operations = [
        # Not reversible in substance (the base vectors are gone), but the schema is unchanged:
        # going back leaves the claims without English vectors, which `embed_claims` refills.
        migrations.RunPython(clear_english_vectors, migrations.RunPython.noop, elidable=True),
    ]
