"""The report of bench/alerts_repeat_eval.py (counts only, nothing from the datasets)."""

from __future__ import annotations

from collections import Counter, defaultdict

SWEEP = (0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1)


def render(rows: list[dict], args, elapsed: float, _claim_model) -> str:
    negatives = [r for r in rows if r.get("negative")]
    rows = [r for r in rows if not r.get("negative")]
    lines = [
        "# Repeat alerts on the matching dev sets (issue #16's measure)",
        "",
        f"`python bench/alerts_repeat_eval.py --per-language {args.per_language} "
        f"--followers {args.followers} --seed {args.seed} --negatives {args.negatives} "
        f"--repeat-min {args.repeat_min}` (PostgreSQL, fresh database; "
        f"{elapsed / 60:.1f} min on the shared 2-core machine).",
        "",
        "English: CheckThat! 2020 task 2 dev (tweet -> Snopes verified claim); German: "
        "checkthat2025-de, our dev split. Per pair: the verified claim published as False "
        "through the desk's services, then the tweet/post ingested as a new article. A follower "
        'is a desk editor or a follower of the repeat\'s outlet (half each). "before": the '
        "alert path before the repeat-of-a-verdict search, read from the same run (a check-worthy "
        "claim joined or was suggested for the checked claim's group).",
        "",
        "| language | pairs | followers | hit (exactly one) | miss (none) | duplicate (>1) | "
        "wrong verdict | hit rate (followers) | pairs all hit | pairs hit before |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for lang in ("en", "de", "all"):
        mine = [r for r in rows if lang in ("all", r["lang"]) and r.get("followers")]
        counts = Counter(o for r in mine for _k, o in r["followers"])
        total = sum(counts.values())
        pairs_hit = sum(1 for r in mine if r["outcome"] == "hit")
        before = sum(1 for r in mine if r.get("before"))
        lines.append(
            f"| {lang} | {len(mine)} | {total} | {counts['hit']} | {counts['miss']} | "
            f"{counts['duplicate']} | {counts['wrong verdict']} | "
            f"{counts['hit'] / max(total, 1):.2f} | {pairs_hit}/{len(mine)} "
            f"({pairs_hit / max(len(mine), 1):.2f}) | {before}/{len(mine)} "
            f"({before / max(len(mine), 1):.2f}) |"
        )
    setup = Counter(r["outcome"] for r in rows if not r.get("followers"))
    if setup:
        lines += ["", "Pairs not run: " + ", ".join(f"{k}: {v}" for k, v in setup.items())]
    lines += [
        "",
        "False repeat alerts: dev posts whose verified claim is none of the checked ones, "
        "ingested as articles after every verdict was published (articles with at least one "
        "repeat alert; each alert goes to every editor). In the pairs' own articles: alerts "
        "about another pair's verdict.",
        "",
        "| language | articles not repeating | with a repeat alert | before | pair articles "
        "alerting another verdict | before |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for lang in ("en", "de", "all"):
        neg = [r for r in negatives if lang in ("all", r["lang"])]
        mine = [r for r in rows if lang in ("all", r["lang"]) and r.get("followers")]
        lines.append(
            f"| {lang} | {len(neg)} | {sum(1 for r in neg if r['alerts'])} | "
            f"{sum(1 for r in neg if r['old_alerts'])} | "
            f"{sum(1 for r in mine if r.get('other_verdicts'))} | "
            f"{sum(1 for r in mine if r.get('before_other'))} |"
        )
    lines += [
        "",
        "Threshold sweep, from the scores the run recorded (every unit through the prefilter "
        "against every published false verdict; a pair is hit when the old path hit or its "
        "verdict scored at least T; an article not repeating alerts when the old path did or any "
        "verdict scored at least T). Simulated: the run itself alerted at "
        f"{args.repeat_min}.",
        "",
        "| T | en pairs hit | de pairs hit | en false (articles) | de false (articles) | "
        "pair articles alerting another verdict |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in SWEEP:
        hit = Counter(
            r["lang"]
            for r in rows
            if r.get("followers") and (r.get("before") or (r.get("score") or 0.0) >= t)
        )
        false = Counter(
            r["lang"]
            for r in negatives
            if r["old_alerts"] or (r["other_scores"] and r["other_scores"][0] >= t)
        )
        other = sum(1 for r in rows if r.get("other_scores") and r["other_scores"][0] >= t)
        n_en = sum(1 for r in negatives if r["lang"] == "en")
        n_de = sum(1 for r in negatives if r["lang"] == "de")
        lines.append(
            f"| {t} | {hit['en']} | {hit['de']} | {false['en']}/{n_en} | {false['de']}/{n_de} | "
            f"{other} |"
        )
    lines += ["", "Misses by cause (pairs):", "", "| cause | en | de |", "| --- | ---: | ---: |"]
    causes: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        if r["outcome"] == "miss":
            causes[r["detail"]][r["lang"]] += 1
    for cause, per in sorted(causes.items(), key=lambda kv: -sum(kv[1].values())):
        lines.append(f"| {cause} | {per['en']} | {per['de']} |")
    missed = [r for r in rows if r["outcome"] == "miss"]
    no_score = Counter(r["lang"] for r in missed if r.get("score") is None)
    below = Counter(r["lang"] for r in missed if r.get("score") is not None)
    lines += [
        "",
        "The same misses against the verdict's own claim (the repeat search): no unit through "
        f"the prefilter or scored: en {no_score['en']}, de {no_score['de']}; best unit below "
        f"{args.repeat_min}: en {below['en']}, de {below['de']}.",
    ]
    by_kind = Counter((k, o) for r in rows for k, o in r.get("followers", []))
    lines += [
        "",
        "By follower kind: "
        + ", ".join(f"{k} {o}: {n}" for (k, o), n in sorted(by_kind.items()))
        + ".",
        "",
        "Checked claims that were not check-worthy in the desk's own article: "
        f"{sum(1 for r in rows if r.get('checked_not_checkworthy'))}. Alerts (per follower) "
        "about another pair's verdict, repeated in the same article: "
        f"{sum(r.get('other_verdicts', 0) for r in rows)}.",
        "",
    ]
    return "\n".join(lines)
