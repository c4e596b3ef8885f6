"""The repeat-alert measure of issue #16 on the matching dev sets (dev splits only).

    python bench/alerts_repeat_eval.py [--per-language 50] [--followers 4] [--seed 16]
        [--negatives 25] [--repeat-min T] [--scores /tmp/scores.json]
        [--pg-db alerts_repeat_eval] [--out bench/results/alerts-repeat-eval.md]

For a seeded sample of dev pairs from CheckThat! 2020 task 2 (English tweet -> Snopes verified
claim, dev) and checkthat2025-de (German post -> the fact-checker's claim, our dev split of
``training.matching.datasets.german_split``), on a fresh PostgreSQL database (created, migrated
and dropped here), pair by pair:

1. the desk's article: the verified claim, written as a short news item in its language, is
   ingested (the real path: ``article_submit`` -> extraction -> matching -> alerts, each task
   run eagerly when its transaction commits, as in the seed measure
   ``tests/notifications/test_alerts_ingestion.py``);
2. the desk checks it through the services, as on the desk: the claim of that article closest
   to the verified claim gets a draft verdict, an evidence source (fetched for real from a
   local HTTP server), the rating "False", a summary; the author submits it, an editor
   publishes it;
3. N followers are created: alternately desk editors (the desk is told of every repeat) and
   followers of the outlet the repeat will appear in;
4. the repeat: the tweet / post, cleaned of links and signatures and written as a short news
   article in its language, is ingested the same way, from that outlet;
5. each follower's ``alert_repeat`` entries for the claims of that article are counted, right
   after ``article_submit`` returned (that is, within the article's ingestion), those about
   this pair's verdict apart (a claim that joined or was suggested for the checked claim's
   group): exactly one = hit; none = miss; more than one = duplicate; only alerts about other
   verdicts = wrong verdict. Alerts about another pair's checked claim that the same article
   repeats are counted on their own (a second repeat is a second alert, not a duplicate).

Every miss is classified from the article's claims, scored again with the matching service's
own search (``claims_find_candidates``, top 20) against the checked claim: no check-worthy claim
extracted at all / the claim that matches the checked one is not check-worthy / no check-worthy
claim has the checked claim among its candidates (not matched) / candidates only below the
suggestion threshold (matched below threshold) / matched but no alert. A pair whose checked
claim was not check-worthy in the desk's own article is counted apart (matching never indexes
such a claim).

Precision (``--negatives N``): after the pairs, N dev posts per language whose verified claim
is none of the sample's are ingested the same way, each from an outlet of its own; articles that
raise any repeat alert are counted (also for the old path alone: a check-worthy claim joined or
suggested for a false verdict's group), and so are pair articles alerting another pair's
verdict. Every unit's score against every published false verdict
(``claims.services.alerts_repeats.article_verdict_repeats`` with minimum 0) is recorded for a
threshold sweep in the report (``--scores PATH`` writes them as JSON; keep it outside the repo);
``--repeat-min`` sets ``REPEAT_MATCH_MIN`` for the run.

Nothing from the datasets is written to the repository: the result file holds counts only.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from alerts_repeat_desk import (  # noqa: E402
    classify_miss,
    evidence_server,
    ingest,
    old_path_alerts,
    publish_false,
    repeat_scores,
)
from alerts_repeat_report import render  # noqa: E402

WRAP = {
    "en": (
        "A post circulating on social media this week made the following claim. {post} "
        "By Tuesday the post had been shared thousands of times."
    ),
    "de": (
        "Ein Beitrag, der diese Woche in sozialen Netzwerken kursierte, enthielt folgende "
        "Behauptung. {post} Bis Dienstag wurde der Beitrag tausendfach geteilt."
    ),
}
CHECKED = {
    "en": (
        "Readers asked the desk about a claim that spread on several websites. {claim} "
        "The claim was first published last month."
    ),
    "de": (
        "Leserinnen und Leser fragten nach einer Behauptung, die auf mehreren Webseiten "
        "verbreitet wurde. {claim} Die Behauptung erschien erstmals im vergangenen Monat."
    ),
}
MAX_POST_CHARS = 1200
_URL = re.compile(r"(https?://\S+|pic\.twitter\.com/\S+|\S+\.(?:com|de|co)/\S+)")
_SIGNATURE = re.compile(r"\s*[—–]\s*[^—–]*\(@\w+\)\s*\w+ \d{1,2}, \d{4}\s*$")
_WORDS = re.compile(r"\w+")


def clean_post(text: str) -> str:
    """A tweet or post as a paragraph: no links, signature, repeated copies or hashtag signs."""
    text = text.strip().strip('"').replace('""', '"')
    text = re.sub(r"\s+None$", "", text)
    text = _SIGNATURE.sub("", text)
    text = _URL.sub(" ", text)
    text = text.replace("#", "")
    text = " ".join(text.split())
    head = text[:60]
    again = text.find(head, 1) if len(head) >= 40 else -1
    if again > 0:  # the German posts repeat their own text (a scraping artefact)
        text = text[:again].strip()
    if len(text) > MAX_POST_CHARS:
        cut = text[:MAX_POST_CHARS]
        end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
        text = cut[: end + 1] if end > 200 else cut
    if text and text[-1] not in ".!?\"“”'":
        text += "."
    return text


def sample_pairs(per_language: int, seed: int) -> list[tuple[str, str, str, str]]:
    """(language, query id, post, verified claim) for a seeded sample of each dev set."""
    from training.matching.datasets import load

    pairs = []
    for lang, name in (("en", "clef2020-untitled"), ("de", "de")):
        data = load(name, "dev")
        collection = dict(data.collection)
        rows = [
            (lang, q, text, collection[sorted(data.qrels[q])[0]])
            for q, text in data.queries
            if data.qrels.get(q) and sorted(data.qrels[q])[0] in collection
        ]
        rows.sort(key=lambda r: r[1])
        pairs += random.Random(seed).sample(rows, min(per_language, len(rows)))
    return pairs


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qc", sql], check=True, capture_output=True)


def overlap(a: str, b: str) -> float:
    wa, wb = set(_WORDS.findall(a.casefold())), set(_WORDS.findall(b.casefold()))
    return len(wa & wb) / max(1, len(wa | wb))


def sample_negatives(per_language: int, seed: int, pairs) -> list[tuple[str, str, str]]:
    """(language, query id, post): dev posts outside the pair sample whose verified claim is
    none of the sample's, so that no published verdict is their claim (false-alert count)."""
    from training.matching.datasets import load

    taken = {(lang, q) for lang, q, _p, _c in pairs}
    checked = {" ".join(c.split()) for _l, _q, _p, c in pairs}
    out = []
    for lang, name in (("en", "clef2020-untitled"), ("de", "de")):
        data = load(name, "dev")
        collection = dict(data.collection)
        rows = [
            (lang, q, text)
            for q, text in data.queries
            if (lang, q) not in taken
            and data.qrels.get(q)
            and not any(" ".join(collection.get(t, "").split()) in checked for t in data.qrels[q])
        ]
        rows.sort(key=lambda r: r[1])
        out += random.Random(seed + 1).sample(rows, min(per_language, len(rows)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-language", type=int, default=50)
    parser.add_argument("--followers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--pg-db", default="alerts_repeat_eval")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/alerts-repeat-eval.md")
    parser.add_argument(
        "--negatives",
        type=int,
        default=25,
        help="per language: dev posts whose claim was not checked, ingested after the pairs",
    )
    parser.add_argument(
        "--repeat-min",
        type=float,
        default=None,
        help="REPEAT_MATCH_MIN for this run (default: the setting)",
    )
    parser.add_argument(
        "--scores",
        type=Path,
        default=None,
        help="write every unit's best repeat score per verdict here (JSON, outside the repo)",
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "claimtracker.settings.test",
            "DATABASE_URL": f"{PG}/{args.pg_db}",
            # the evidence page is served on 127.0.0.1 (the fetcher refuses private addresses)
            "CLAIMTRACKER_TEST_ALLOWED_PRIVATE_NETWORKS": "127.0.0.1/32",
            "EMAIL_URL": "consolemail://",
            # a vector index of this run's own (a stale one would map old ids to new claims)
            "CLAIMTRACKER_VECTOR_INDEX_DIR": tempfile.mkdtemp(prefix="alerts-eval-index-"),
        }
    )
    os.environ.pop("CELERY_BROKER_URL", None)  # eager tasks, as in the seed measure
    pairs = sample_pairs(args.per_language, args.seed)
    negatives = sample_negatives(args.negatives, args.seed, pairs)
    psql(f"DROP DATABASE IF EXISTS {args.pg_db}")
    psql(f"CREATE DATABASE {args.pg_db}")
    started = time.perf_counter()
    try:
        import django

        django.setup()
        import logging

        logging.disable(logging.WARNING)
        from django.conf import settings
        from django.core.management import call_command

        settings.CLAIMTRACKER_MATCHING_ENABLED = True
        settings.CLAIMTRACKER_MATCHING = {}  # the core's own thresholds
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        if args.repeat_min is not None:
            settings.CLAIMTRACKER_ALERTS = {
                **settings.CLAIMTRACKER_ALERTS,
                "REPEAT_MATCH_MIN": args.repeat_min,
            }
        args.repeat_min = settings.CLAIMTRACKER_ALERTS["REPEAT_MATCH_MIN"]
        call_command("migrate", verbosity=0)
        from claims.claimreview import verdict_public_url
        from claims.models import Claim, ClaimMatch, Notification, Outlet, RatingScale, Verdict
        from claims.services.matching import matching_index_reset, vector_index_update
        from claims.services.watch import watch_rule_add
        from tests.factories import UserFactory

        matching_index_reset()
        scale = RatingScale.objects.create(
            name="Desk", best_rating=3, worst_rating=1, is_default=True
        )
        scale.labels.create(name="True", value=3, order=0)
        false = scale.labels.create(name="False", value=1, order=1)
        author = UserFactory(username="author", roles=["reviewer"])
        publisher = UserFactory(username="publisher", roles=["editor"])
        site = evidence_server()

        rows = []
        for i, (lang, qid, post, vclaim) in enumerate(pairs):
            t0 = time.perf_counter()
            vclaim = " ".join(vclaim.split())
            if vclaim[-1] not in ".!?":
                vclaim += "."
            original = ingest(CHECKED[lang].format(claim=vclaim), f"https://desk.example/{i}")
            claims = list(original.claims.all())
            row = {"lang": lang, "query": qid, "outcome": None, "detail": ""}
            if not claims:
                row["outcome"] = "setup: desk article gave no claim"
                rows.append(row)
                continue
            checked = max(
                claims,
                key=lambda c: (overlap(c.text, vclaim), c.checkworthy and c.candidate),
            )
            publish_false(
                claim=checked,
                author=author,
                editor=publisher,
                label=false,
                evidence_url=f"{site}/check/{i}",
            )
            # The beat's index update (every 2 minutes) before the repeat comes: a checked claim
            # embedded at publication below the index's high-water mark is searched from then.
            vector_index_update(wait=True)
            outlet = Outlet.objects.create(name=f"Outlet {i}", domain=f"outlet{i}.example")
            followers = []
            for n in range(args.followers):
                if n % 2 == 0:
                    followers.append(("desk", UserFactory(username=f"p{i}e{n}", roles=["editor"])))
                else:
                    user = UserFactory(username=f"p{i}o{n}", roles=["reviewer"])
                    watch_rule_add(user=user, kind="outlet", outlet=outlet)
                    followers.append(("outlet", user))
            article = ingest(WRAP[lang].format(post=clean_post(post)), f"https://{outlet.domain}/a")
            checked.refresh_from_db()
            new_claims = list(article.claims.all())
            urls = {f"/claims/{c.pk}/": c for c in new_claims}
            related = set()
            if checked.group_id:
                related = {c.pk for c in new_claims if c.group_id == checked.group_id} | set(
                    ClaimMatch.objects.filter(claim__in=new_claims, group_id=checked.group_id)
                    .exclude(decision=ClaimMatch.Decision.REJECTED)
                    .values_list("claim_id", flat=True)
                )
            verdict_url = verdict_public_url(Verdict.objects.get(claim=checked))
            # Before this work (same run): the alert path then was a check-worthy claim that
            # joined or was suggested for the checked claim's group (nothing else changed).
            row["before"] = any(
                c.checkworthy and c.candidate and c.pk in related for c in new_claims
            )
            per_follower = []
            for kind, user in followers:
                got = list(
                    Notification.objects.filter(
                        recipient=user, kind=Notification.Kind.ALERT_REPEAT, url__in=urls
                    ).values_list("url", "body")
                )
                # About this pair's verdict: its claim is related by matching, or the alert
                # names the verdict (a repeat found against the verdict's own claim).
                ours = [u for u, b in got if urls[u].pk in related or verdict_url in b]
                if len(ours) == 1:
                    outcome = "hit"
                elif len(ours) > 1:
                    outcome = "duplicate"
                elif got:
                    outcome = "wrong verdict"
                else:
                    outcome = "miss"
                # A repeat of another pair's checked claim in the same article is its own
                # alert (another verdict), not a duplicate of this one.
                row["other_verdicts"] = row.get("other_verdicts", 0) + len(got) - len(ours)
                per_follower.append((kind, outcome))
            row["followers"] = per_follower
            outcomes = {o for _k, o in per_follower}
            row["outcome"] = outcomes.pop() if len(outcomes) == 1 else "mixed"
            if not (checked.checkworthy and checked.candidate):
                row["checked_not_checkworthy"] = True
            if row["outcome"] == "miss":
                row["detail"] = (
                    "checked claim never embedded (not check-worthy in the desk's article)"
                    if checked.embedding is None
                    else classify_miss(article, checked)
                )
            scores = repeat_scores(article)
            row["score"] = scores.pop(checked.pk, None)
            # old path alerting about another verdict: an old-path repeat claim not about this one
            row["before_other"] = old_path_alerts(article, exclude=related)
            row["other_scores"] = sorted(scores.values(), reverse=True)
            row["seconds"] = time.perf_counter() - t0
            rows.append(row)
            if args.verbose:
                print(i, lang, qid, row["outcome"], row["detail"], f"{row['seconds']:.1f}s")
        for j, (lang, qid, post) in enumerate(negatives):
            outlet = Outlet.objects.create(name=f"Other {j}", domain=f"other{j}.example")
            article = ingest(WRAP[lang].format(post=clean_post(post)), f"https://{outlet.domain}/n")
            alerted = Notification.objects.filter(
                kind=Notification.Kind.ALERT_REPEAT,
                url__in=[f"/claims/{pk}/" for pk in article.claims.values_list("pk", flat=True)],
            )
            scores = repeat_scores(article)
            rows.append(
                {
                    "lang": lang,
                    "query": qid,
                    "negative": True,
                    # distinct claims alerted (each to every editor and watcher)
                    "alerts": alerted.values("url").distinct().count(),
                    "old_alerts": old_path_alerts(article),
                    "other_scores": sorted(scores.values(), reverse=True),
                }
            )
            if args.verbose:
                print("neg", j, lang, qid, rows[-1]["alerts"], rows[-1]["other_scores"][:2])
        elapsed = time.perf_counter() - started
        if args.scores:
            import json

            args.scores.write_text(json.dumps(rows, indent=1), encoding="utf-8")
        report = render(rows, args, elapsed, Claim)
        print(report)
        args.out.write_text(report, encoding="utf-8")
    finally:
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {args.pg_db}")
        shutil.rmtree(os.environ["CLAIMTRACKER_VECTOR_INDEX_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
