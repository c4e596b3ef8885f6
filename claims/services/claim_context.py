"""Whether a stored claim's standalone text still needs the article: the "Needs context" flag.

New claims get it from the extraction (``ExtractedClaim.standalone_unresolved``, stored by
``claims.services.claim_extraction``). Claims stored before the flag existed have it NULL ("not
assessed") until :func:`claims_context_backfill` assesses them from their stored standalone text,
with the very detector the extraction uses (``claims.nlp.references``), so a backfilled claim and
a freshly extracted one with the same text get the same flag.
"""

from __future__ import annotations

from django.db import transaction

from claims.models import Claim


def claims_context_backfill(
    *, limit: int, after_id: int = 0, refresh: bool = False
) -> tuple[int, int]:
    """Assess up to ``limit`` claims with an id above ``after_id``, in id order: those not
    assessed yet, or (``refresh``, after the detector changed) every one. Returns how many were
    assessed and the last id seen (the next call's ``after_id``; 0 found means done).

    Idempotent: the flag is a function of the stored text, so running it twice, or two runs at
    once, store the same values. Claims in languages the detector does not read stay NULL."""
    # Imported here: the web process that loads this module must not import spaCy.
    from claims.nlp.pipelines import LANGUAGES
    from claims.nlp.references import unresolved_references_batch

    rows = Claim.objects.filter(pk__gt=after_id, language__in=LANGUAGES)
    if not refresh:
        rows = rows.filter(standalone_needs_context__isnull=True)
    claims = list(rows.order_by("pk").only("id", "text", "standalone", "language")[:limit])
    if not claims:
        return 0, after_id
    for lang in LANGUAGES:
        group = [c for c in claims if c.language == lang]
        if not group:
            continue
        found = unresolved_references_batch([c.claim_text for c in group], lang)
        for claim, words in zip(group, found, strict=True):
            claim.standalone_unresolved = words
            claim.standalone_needs_context = bool(words)
    # Only these two columns: the claim's updated_at and its history record a reviewer's or the
    # pipeline's change, not a derived flag computed later.
    with transaction.atomic():
        Claim.objects.bulk_update(
            claims, ["standalone_needs_context", "standalone_unresolved"], batch_size=500
        )
    return len(claims), claims[-1].pk
