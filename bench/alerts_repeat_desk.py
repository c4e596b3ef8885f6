"""The desk's side of bench/alerts_repeat_eval.py: an article ingested through the real path, a
verdict rated false and published through the services (with evidence fetched from a local
server), and, per article, what the alert paths saw: the repeat scores, the alerts the path
before #16 would have raised, and why a repeat raised no alert."""

from __future__ import annotations

import http.server
import threading


class _Page(http.server.BaseHTTPRequestHandler):
    body = b"<html><head><title>Fact check</title></head><body><p>Checked.</p></body></html>"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def evidence_server() -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def ingest(text: str, url: str):
    from claims.models import Article
    from claims.services.ingestion import article_submit

    # Extraction, matching and alerts run eagerly when the transaction that queues each commits.
    article = article_submit(source=Article.Source.TEXT, url=url, text=text)
    article.refresh_from_db()
    return article


def publish_false(*, claim, author, editor, label, evidence_url: str):
    from claims.models import EvidenceSource, Verdict
    from claims.services.evidence import evidence_add
    from claims.services.verdicts import verdict_publish, verdict_save, verdict_submit

    evidence_add(
        actor=author, claim_id=claim.pk, url=evidence_url, stance=EvidenceSource.Stance.REFUTES
    )
    verdict = Verdict.objects.get(claim=claim)
    verdict = verdict_save(
        actor=author,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=label.pk,
        summary="This claim is false.",
        explanation="The sources show otherwise.",
    )
    verdict = verdict_submit(actor=author, verdict_id=verdict.pk, version=verdict.version)
    return verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)


def repeat_scores(article) -> dict[int, float]:
    """Verdict's claim id -> the best score of the article's units against it (every score,
    through the prefilter: what the alert would see at any threshold)."""
    from claims.services.alerts_repeats import article_verdict_repeats, units_of_article

    best: dict[int, float] = {}
    for found in article_verdict_repeats(units=units_of_article(article.pk), minimum=0.0):
        key = found.verdict.claim_id
        best[key] = max(best.get(key, 0.0), found.score)
    return best


def old_path_alerts(article, exclude=frozenset()) -> int:
    """Claims of the article the alert path before this work took as repeats: check-worthy
    and joined or suggested for a group with a published false verdict."""
    from claims.models import ClaimMatch
    from claims.services.alerts import _false_verdicts

    claims = list(article.claims.filter(checkworthy=True, candidate=True).exclude(pk__in=exclude))
    groups = {c.pk: {c.group_id} - {None} for c in claims}
    for claim_id, group_id in (
        ClaimMatch.objects.filter(claim__in=claims)
        .exclude(decision=ClaimMatch.Decision.REJECTED)
        .values_list("claim_id", "group_id")
    ):
        groups[claim_id].add(group_id)
    false = _false_verdicts(set().union(set(), *groups.values()))
    return sum(1 for gs in groups.values() if gs & set(false))


def classify_miss(article, checked) -> str:
    """Why no repeat alert: what the matching service's search says about the article's claims."""
    from claims.services.matching.candidates import claims_find_candidates
    from claims.services.matching.config import match_config
    from claims.services.matching.embeddings import claims_embed_unsaved

    claims = list(article.claims.all().order_by("index"))
    if not any(c.checkworthy and c.candidate for c in claims):
        return "no check-worthy claim extracted"
    claims_embed_unsaved(claims=claims)
    config = match_config()
    found = claims_find_candidates(claims=claims, top=20)
    best: dict[bool, float] = {}
    for claim, candidates in zip(claims, found, strict=True):
        for cand in candidates:
            if int(cand.id) == checked.pk:
                worthy = bool(claim.checkworthy and claim.candidate)
                best[worthy] = max(best.get(worthy, -1.0), float(cand.score))
    if True in best:
        if best[True] < config.suggested:
            return "matched below threshold"
        return "matched, no alert"
    if best.get(False, -1.0) >= config.suggested:
        return "not extracted as check-worthy"
    if False in best:
        return "not extracted as check-worthy (and below threshold)"
    return "not matched"
