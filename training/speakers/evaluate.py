"""Speaker linking precision and recall on the annotated dev articles (dev split only).

    python -m training.speakers.evaluate [--verbose]

Each dev article goes through the real claim pipeline and the real linking service
(``article_extract_claims`` -> ``article_speakers_link``) in publication order, into a fresh
in-memory SQLite database (nothing is written anywhere else), so speakers proposed by one
article are found again by the next, as in production. Held-out articles are never opened
(``load_gold("dev")`` reads only the dev entries of the manifest).

Gold: the annotators' reported speech with its speaker's full name ("unattributed" and the
article's own voice have none). A gold sentence is scored on the claim whose unit covers most
of it. Figures:

- **claim links**: a claim linked to a speaker whose name or alias is the gold full name is
  right (TP); linked to someone else, or linked where the gold has no named speaker (own voice,
  unattributed), is wrong (FP); a named gold sentence without its right speaker is missed (FN).
- **linking given a right claimant**: the same, only over sentences whose extracted claimant
  is the gold full name or its surname: what the linking step itself loses or confuses.
- **baseline claimant text**: the free-text claimant alone as the identity (no speakers).
- **same person across articles**: pairwise over named gold sentences in different articles —
  of the pairs linked to one speaker, how many are one gold person (precision); of the pairs
  that are one gold person, how many share a speaker (recall).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")


def _setup_django() -> None:
    # Always a throw-away in-memory database: the evaluation must not touch a real one.
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.test"
    os.environ["CLAIMTRACKER_MATCHING_ENABLED"] = "0"  # not needed to link speakers
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _named(name: str | None) -> bool:
    return bool(name) and name.strip().casefold() != "unattributed"


def run(verbose: bool = False) -> dict[str, dict[str, float | int]]:
    _setup_django()
    from claims.models import Article, Claim, Speaker
    from claims.services.claim_extraction import article_extract_claims
    from training.extraction.evaluate import covers, locate, same_name
    from training.extraction.inputs import dev_inputs

    inputs = dev_inputs()
    assert all(i.gold.split == "dev" for i in inputs)
    inputs.sort(key=lambda i: (i.published or datetime.min.date(), i.id))
    stored: dict[str, int] = {}
    for item in inputs:
        published = (
            datetime(*item.published.timetuple()[:3], 12, tzinfo=UTC) if item.published else None
        )
        article = Article.objects.create(
            source=Article.Source.TEXT,
            text=item.text,
            title=item.title or "",
            language=item.language,
            published_at=published,
            status=Article.Status.EXTRACTING,
        )
        article_extract_claims(article_id=article.pk)
        stored[item.id] = article.pk

    names: dict[int, set[str]] = defaultdict(set)
    for speaker in Speaker.objects.prefetch_related("aliases"):
        names[speaker.pk] = {speaker.name} | {a.alias for a in speaker.aliases.all()}

    rows = []  # (article, lang, gold name or None, claimant, speaker id or None)
    for item in inputs:
        claims = list(
            Claim.objects.filter(article_id=stored[item.id]).only(
                "start", "end", "claimant", "speaker_id"
            )
        )
        annotation = item.annotation
        spoken = {" ".join(r["sentence"].split()) for r in annotation["reported_speech"]}
        gold = [(r["sentence"], r.get("speaker")) for r in annotation["reported_speech"]]
        gold += [
            (r["sentence"], None)
            for r in annotation["top_claims"] + annotation["checkworthy"]
            if r.get("claimant") is None and " ".join(r["sentence"].split()) not in spoken
        ]
        seen: set[str] = set()
        for sentence, name in gold:
            key = " ".join(sentence.split())
            if key in seen:
                continue
            seen.add(key)
            span = locate(sentence, item.text)
            if span is None:
                continue
            best = max(
                (c for c in claims if covers((c.start, c.end), span)),
                key=lambda c: min(c.end, span[1]) - max(c.start, span[0]),
                default=None,
            )
            if best is None:
                continue
            rows.append((item.id, item.language, name, best.claimant, best.speaker_id))

    def right(speaker_id, name) -> bool:
        return speaker_id is not None and any(same_name(n, name) for n in names[speaker_id])

    def surname_of(claimant: str | None, gold: str | None) -> bool:
        words = (gold or "").split()
        return bool(claimant) and len(words) > 1 and same_name(claimant, words[-1])

    def text_right(claimant, gold) -> bool:  # the baseline: the free-text claimant itself
        return _named(claimant) and same_name(claimant, gold)

    def score(subset, is_right, linked) -> dict[str, float | int]:
        tp = sum(1 for r in subset if _named(r[2]) and is_right(r))
        fp = sum(1 for r in subset if linked(r) and not is_right(r))
        fn = sum(1 for r in subset if _named(r[2]) and not is_right(r))
        p, rec, f = _prf(tp, fp, fn)
        named = sum(1 for r in subset if _named(r[2]))
        return {"sentences": len(subset), "named": named, "tp": tp, "fp": fp, "fn": fn,
                "precision": p, "recall": rec, "f1": f}  # fmt: skip

    def pairs(named, identity) -> dict[str, float | int]:
        tp = fp = fn = 0
        for a, b in combinations(named, 2):
            if a[0] == b[0]:
                continue  # across articles only
            same_gold = same_name(a[2], b[2]) or same_name(b[2], a[2])
            same_link = identity(a) is not None and identity(a) == identity(b)
            tp += same_gold and same_link
            fp += same_link and not same_gold
            fn += same_gold and not same_link
        p, r, f = _prf(tp, fp, fn)
        return {"sentences": len(named), "named": len(named), "tp": tp, "fp": fp, "fn": fn,
                "precision": p, "recall": r, "f1": f}  # fmt: skip

    def link_right(r) -> bool:
        return right(r[4], r[2])

    def text_key(r):
        return " ".join(r[3].casefold().split()) if _named(r[3]) else None

    results: dict[str, dict[str, float | int]] = {}
    for lang in ("de", "en", "all"):
        picked = [r for r in rows if lang == "all" or r[1] == lang]
        named = [r for r in picked if _named(r[2])]
        given = [r for r in named if same_name(r[3], r[2]) or surname_of(r[3], r[2])]
        results[f"{lang}: claim links"] = score(picked, link_right, lambda r: r[4] is not None)
        results[f"{lang}: claim links, baseline claimant text"] = score(
            picked, lambda r: text_right(r[3], r[2]), lambda r: _named(r[3])
        )
        results[f"{lang}: linking given a right claimant"] = score(
            given, link_right, lambda r: r[4] is not None
        )
        results[f"{lang}: same person across articles"] = pairs(named, lambda r: r[4])
        results[f"{lang}: same person across articles, baseline claimant text"] = pairs(
            named, text_key
        )
    results["speakers"] = {
        "articles": len(inputs),
        "proposed": Speaker.objects.filter(status=Speaker.Status.PROPOSED).count(),
        "organisations": Speaker.objects.filter(kind=Speaker.Kind.ORGANISATION).count(),
        "gold persons": len({" ".join(r[2].casefold().split()) for r in rows if _named(r[2])}),
    }
    if verbose:
        for article, _, gold, claimant, speaker in rows:
            if (_named(gold) and not right(speaker, gold)) or (
                speaker is not None and not right(speaker, gold)
            ):
                linked = sorted(names[speaker]) if speaker else None
                print(f"  {article} gold={gold!r} claimant={claimant!r} speaker={linked}")
    return results


def format_results(results: dict[str, dict[str, float | int]]) -> str:
    lines = [
        "| set | sentences | named | TP | FP | FN | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        if name == "speakers":
            continue
        lines.append(
            f"| {name} | {r['sentences']} | {r['named']} | {r['tp']} | {r['fp']} | {r['fn']} "
            f"| {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |"
        )
    s = results["speakers"]
    lines.append("")
    lines.append(
        f"{s['articles']} dev articles; {s['proposed']} speakers proposed "
        f"({s['organisations']} organisations) for {s['gold persons']} named gold speakers."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every wrong link")
    args = parser.parse_args(argv)
    print(format_results(run(verbose=args.verbose)))


if __name__ == "__main__":
    main()
