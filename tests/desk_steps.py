"""A verdict rated through the desk's own services, as a reviewer and an editor do it.

Shared by the alert tests (in-process and with a real worker): each needs a published verdict on
a claim the pipeline extracted, reached the same way as on the desk (evidence, draft, submit,
publish), not a row written directly.
"""

from __future__ import annotations


def rate_and_publish(*, claim, reviewer, editor, label, summary: str = "False."):
    """Evidence refuting `claim`, its draft verdict rated `label`, submitted and published."""
    from claims.models import Verdict
    from claims.services.evidence import evidence_add
    from claims.services.verdicts import verdict_publish, verdict_save, verdict_submit

    evidence_add(
        actor=reviewer,
        claim_id=claim.pk,
        url="https://evidence.example/a",
        stance="refutes",
        fetch=False,
    )
    verdict = Verdict.objects.get(claim=claim)
    verdict = verdict_save(
        actor=reviewer,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=label.pk,
        summary=summary,
        explanation="",
    )
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    return verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)
