"""The markdown report of bench/bench_ingest.py."""

from __future__ import annotations

import os


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def mode_table(r: dict, concurrency: int) -> list[str]:
    off, on = r["runs"]
    n, bare = r["pages"], r["bare"]
    bare_wall = (bare["extract"] + bare["nlp"]) / concurrency
    lines = [
        "| measure | matching off | matching on |",
        "|---|---|---|",
    ]

    def row(name: str, fmt) -> None:
        lines.append(f"| {name} | {fmt(off)} | {fmt(on)} |")

    row("articles done / failed", lambda x: f"{n - x['failed']} / {x['failed']}")
    row(
        "check-worthy claims stored (per article)",
        lambda x: f"{x['checkworthy']} ({x['checkworthy'] / n:.1f})",
    )
    row(
        "of them in a group / matches confirmed, suggested",
        lambda x: (
            f"{x['grouped']} ({x['grouped'] / max(1, x['checkworthy']):.1%}) / "
            f"{x['confirmed']}, {x['suggested']}"
        ),
    )
    row("wall time, submit to last article finished", lambda x: f"{x['wall']:.1f} s")
    row("**throughput**", lambda x: f"**{n / x['wall'] * 60:.0f} articles/min**")
    row("worker CPU time (all processes)", lambda x: f"{x['cpu']:.1f} s")
    row("worker CPU per article", lambda x: f"{x['cpu'] / n * 1e3:.0f} ms")
    row(
        "latency submit -> claims stored p50 / p95",
        lambda x: f"{pct(x['latencies'], 0.5):.1f} s / {pct(x['latencies'], 0.95):.1f} s",
    )
    lines.append(
        "| latency submit -> matched p50 / p95 | – | "
        f"{pct(on['latencies_matched'] or [0], 0.5):.1f} s / "
        f"{pct(on['latencies_matched'] or [0], 0.95):.1f} s |"
    )
    row(
        "worker RSS after warm-up / peak",
        lambda x: f"{x['rss_before'] / 1024:.0f} MB / {x['peak'] / 1024:.0f} MB",
    )
    row(
        "load average during the run (min–max)",
        lambda x: f"{min(x['load']):.1f}–{max(x['load']):.1f}",
    )
    row("pipeline wall / (extraction + NLP)", lambda x: f"{x['wall'] / bare_wall:.2f}x")
    row(
        "worker CPU beyond extraction and NLP",
        lambda x: f"{(x['cpu'] / bare['cpu'] - 1) * 100:.0f}%",
    )
    lines += task_rows(off, on)
    lines += [
        "",
        f"**Matching on / off: {off['wall'] / on['wall']:.0%} of the throughput by wall clock, "
        f"{off['cpu'] / on['cpu']:.0%} by worker CPU** (articles per worker CPU-second; the "
        "issue's target is ≥ 60%). Baseline in the same run, in-process on the same pages: "
        f"trafilatura {bare['extract']:.1f} s, claim NLP {bare['nlp']:.1f} s, "
        f"{bare['cpu']:.1f} CPU-s together.",
    ]
    return lines


def task_rows(off: dict, on: dict) -> list[str]:
    """Worker CPU per article by task (the pool process, from the probe) and outside tasks."""
    if not (off.get("tasks") and on.get("tasks")):
        return []
    lines = []
    names = list(dict.fromkeys([*off["tasks"], *on["tasks"]]))

    def cell(run: dict, name: str) -> str:
        count, cpu, _wall = run["tasks"].get(name, (0, 0.0, 0.0))
        return f"{cpu / run['articles'] * 1e3:.0f} ms ({count})" if count else "–"

    for name in names:
        lines.append(
            f"| worker CPU per article in {name} (tasks run) | {cell(off, name)} | "
            f"{cell(on, name)} |"
        )

    def outside(run: dict) -> str:
        inside = sum(cpu for _count, cpu, _wall in run["tasks"].values())
        return f"{(run['cpu'] - inside) / run['articles'] * 1e3:.0f} ms"

    lines.append(
        "| worker CPU per article outside tasks (Celery, both processes) | "
        f"{outside(off)} | {outside(on)} |"
    )
    return lines


def profile_table(p: dict, on_run: dict) -> list[str]:
    n = p["articles"]
    lines = [
        f"{n} further realistic pages (not part of the runs above; same repeat rate) through the "
        "same tasks in the benchmark's process, one after the other, matching on, after the runs "
        f"above (so the store holds the pre-filled claims and the runs' pages; {p['matched']} "
        "of them matched). Per article: calls, this process's CPU, PostgreSQL's CPU for this "
        "connection (its backend process), wall time, SQL statements; indented stages are "
        "part of the one above.",
        "",
        "| stage | calls | CPU ms | PostgreSQL CPU ms | wall ms | SQL |",
        "|---|---|---|---|---|---|",
    ]
    for s in p["stages"]:
        indent = "&nbsp;&nbsp;" * (len(s["path"]) - 1)
        lines.append(
            f"| {indent}{s['path'][-1]} | {s['calls']:.2f} | {s['cpu_ms']:.1f} | "
            f"{s['db_ms']:.1f} | {s['wall_ms']:.1f} | {s['sql']:.1f} |"
        )
    worker_ms = on_run["cpu"] / on_run["articles"] * 1e3
    lines += [
        "",
        f"Whole article in-process: {p['cpu'] / n * 1e3:.0f} ms CPU, {p['db'] / n * 1e3:.0f} ms "
        f"PostgreSQL CPU, {p['wall'] / n * 1e3:.0f} ms wall. The real worker of the "
        f"matching-on run spent {worker_ms:.0f} ms CPU per article: the difference is Celery "
        "(messages, acks, the dispatch ledger in Redis) and the worker's other threads, minus "
        "this profile's own timers.",
    ]
    return lines


def report(results: list[dict], args) -> str:
    lines = [
        f"# Ingestion benchmark\n\n`python bench/bench_ingest.py --mode {args.mode} --pages "
        f"{args.pages} --concurrency {args.concurrency} --repeat-rate {args.repeat_rate} "
        f"--store {args.store}`: {args.pages} pages per run, one worker process "
        f"(concurrency {args.concurrency}), {os.cpu_count()} cores shared with other jobs.",
        "",
        "| mode | matching off | matching on | on/off wall | on/off worker CPU | load average |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        off, on = r["runs"]
        loads = off["load"] + on["load"]
        lines.append(
            f"| {r['mode']} | {r['pages'] / off['wall'] * 60:.0f} articles/min | "
            f"{r['pages'] / on['wall'] * 60:.0f} articles/min | {off['wall'] / on['wall']:.0%} | "
            f"{off['cpu'] / on['cpu']:.0%} | {min(loads):.1f}–{max(loads):.1f} |"
        )
    for r in results:
        lines += ["", f"## {r['mode'].capitalize()} case", ""]
        if r["mode"] == "worst":
            lines += [
                "Every page repeats the claims of every earlier page of its language (two "
                "templates, one distinct sentence each), so every check-worthy claim joins a "
                "group: the worst case for matching's writes. The store starts empty.",
                "",
            ]
        else:
            info, store = r["pages_info"], r["store"]
            lines += [
                f"Real, different articles (10kGNAD German texts and the article-extraction "
                f"benchmark's English pages, alternating, cut to ~{args.page_chars} characters "
                f"of text, a long English article giving a second page from where the first "
                f"stops: {info['pool_en']} English texts for {(args.pages + 1) // 2} English "
                f"pages; {info['chars'] / 1024:.1f} KiB of HTML a page on average). A "
                f"pre-pass of the claim NLP found {info['checkworthy_base']} check-worthy claims "
                f"in the pages before repeats; {info['inserted']} repeats of an earlier page's "
                f"check-worthy claim were inserted (rate {args.repeat_rate:.0%}, "
                f"{info['verbatim']} verbatim, the rest reworded) into these pages and the "
                f"profile's. Pre-filled store: {store['claims']:,} check-worthy claims "
                f"({store['source']}; random unit vectors) seeded with COPY in "
                f"{store['seed_s']:.0f} s, the shared vector index built over them in "
                f"{store['index_s']:.0f} s ({store['index_cpu_s']:.0f} CPU-s) before the "
                "workers start. "
                + (
                    f"During the matching run the benchmark sends the index's update task every "
                    f"{r['index_interval']:.0f} s, as beat does (`--index-interval`), to the same "
                    "worker (it serves the default queue too, so its CPU is in the worker's); "
                    "claims stored since the last update are found by the exact scan of claims "
                    "newer than the index."
                    if r.get("index_interval")
                    else "No index update runs during the runs (`--index-interval 0`): every "
                    "claim stored during a run is found by the exact scan of claims newer than "
                    "the index, which grows with the run."
                ),
                "",
            ]
        lines += mode_table(r, args.concurrency)
        if r.get("profile"):
            lines += ["", "### Where matching's time goes (realistic, per article)", ""]
            lines += profile_table(r["profile"], r["runs"][1])
    return "\n".join(lines) + "\n"
