"""Score the dev splits with a check-worthiness model and compute the shared tasks' metrics.

Used by `python manage.py evaluate_claims`, by compare.py (for every candidate) and by train.py's
report, so the model card, the comparison and the command show the same numbers.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from claims.nlp.checkworthiness import CheckworthinessModel
from training.checkworthiness.data import Split, checkthat2019, checkthat2024_dev, claimbuster
from training.checkworthiness.data import germeval as germeval_split
from training.checkworthiness.metrics import (
    average_precision,
    f1_positive,
    germeval_official,
    mean_average_precision,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEED_FILE = (
    Path(os.environ.get("CLAIMTRACKER_SEED_DIR", PROJECT_ROOT.parent / "shared" / "seeds"))
    / "hanoi-summit-de.txt"
)
SEED_SENTENCE_START = "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr"
REQUIRED_FILES = (
    "claimbuster/groundtruth.csv",
    "checkthat2024/CT24_checkworthy_english_dev-test.tsv",
    "checkthat2019/training",
    "germeval2021/GermEval21_TrainData.csv",
)

Embedder = Callable[[Split], np.ndarray]


def missing_files(root: Path) -> list[str]:
    return [name for name in REQUIRED_FILES if not (root / name).exists()]


def split_sentences(text: str) -> list[str]:
    """Deliberately simple: end punctuation followed by space, or a line break."""
    parts = re.split(r"(?<=[.!?\"“”«»])\s+(?=[\"„“»«A-ZÄÖÜ])|\n+", text)
    return [p.strip() for p in parts if p.strip()]


def _default_embedder(split: Split) -> np.ndarray:
    from claims.nlp.embeddings import embed

    return embed(split.texts)


def evaluate(
    model: CheckworthinessModel, root: Path, embedder: Embedder = _default_embedder
) -> dict[str, dict[str, float | int | str]]:
    """Every dev metric of the model card, keyed by dataset."""
    results: dict[str, dict[str, float | int | str]] = {}
    timings = {"sentences": 0, "words": 0, "encoder_s": 0.0, "heads_s": 0.0}

    def scores(split: Split) -> np.ndarray:
        t0 = time.perf_counter()
        emb = embedder(split)
        t1 = time.perf_counter()
        out = np.asarray(model.scores(split.texts, lang=split.lang, embeddings=emb))
        timings["heads_s"] += time.perf_counter() - t1
        timings["encoder_s"] += t1 - t0
        timings["sentences"] += len(split.texts)
        timings["words"] += sum(len(t.split()) for t in split.texts)
        return out

    en_t = model.threshold("en")
    de_t = model.threshold("de")

    ct24 = checkthat2024_dev(root)
    s = scores(ct24)
    results["checkthat2024_dev"] = {
        "n": len(ct24.texts),
        "f1_positive": f1_positive(ct24.labels, list((s >= en_t).astype(int))),
        "average_precision": average_precision(ct24.labels, list(s)),
    }
    gt = claimbuster(root, "groundtruth")
    s = scores(gt)
    results["claimbuster_groundtruth"] = {
        "n": len(gt.texts),
        "f1_positive": f1_positive(gt.labels, list((s >= en_t).astype(int))),
        "average_precision": average_precision(gt.labels, list(s)),
    }
    ct19 = checkthat2019(root, dev=True)
    s = scores(ct19)
    assert ct19.groups is not None
    results["checkthat2019_heldout_debates"] = {
        "n": len(ct19.texts),
        "debates": len(set(ct19.groups)),
        "map": mean_average_precision(ct19.labels, list(s), ct19.groups),
    }
    ge = germeval_split(root, dev=True)
    s = scores(ge)
    results["germeval2021_dev"] = {
        "n": len(ge.texts),
        "official": germeval_official(ge.labels, list((s >= de_t).astype(int))),
        "f1_positive": f1_positive(ge.labels, list((s >= de_t).astype(int))),
        "average_precision": average_precision(ge.labels, list(s)),
    }
    seed_file = root.parent / "seeds" / "hanoi-summit-de.txt"
    if not seed_file.exists():
        seed_file = SEED_FILE
    sentences = split_sentences(seed_file.read_text(encoding="utf-8"))
    seed = Split("seed-hanoi-summit-de", "de", sentences, [0] * len(sentences))
    s = scores(seed)
    target = next(i for i, t in enumerate(sentences) if t.startswith(SEED_SENTENCE_START))
    results["seed_article"] = {
        "sentences": len(sentences),
        "rank": int((s > s[target]).sum()) + 1,
        "score": float(s[target]),
    }
    results["model"] = {
        "threshold_en": en_t,
        "threshold_de": de_t,
    }
    for lang in ("de", "en"):
        subjectivity = subjectivity_dev_test(root, lang)
        if subjectivity is not None:
            results[f"subjectivity2025_dev_test_{lang}"] = subjectivity
    total_s = timings["encoder_s"] + timings["heads_s"]
    results["speed"] = {
        "sentences": timings["sentences"],
        "words": timings["words"],
        "encoder_seconds": round(timings["encoder_s"], 2),
        "heads_seconds": round(timings["heads_s"], 2),
        "heads_words_per_s": timings["words"] / timings["heads_s"],
        "total_words_per_s": timings["words"] / total_s,
    }
    return results


SUBJECTIVITY_DIR = Path("subjectivity/checkthat2025-task1")
_SUBJECTIVITY_FOLDER = {"de": "german", "en": "english"}


def subjectivity_dev_test(root: Path, lang: str) -> dict[str, float | int] | None:
    """Macro-F1 (the task's metric) of the desk model's subjectivity head, at P(SUBJ) = 0.5, on the
    CheckThat! 2025 task 1 dev-test split (the public test split is held out). None without data.
    The TSVs are read with quoting off: default CSV quoting merges rows at stray quotes."""
    import csv

    from claims.nlp.embeddings import embed
    from claims.nlp.ranking import desk_model

    path = root / SUBJECTIVITY_DIR / _SUBJECTIVITY_FOLDER[lang] / f"dev_test_{lang}.tsv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    labels = [1 if r["label"].strip() == "SUBJ" else 0 for r in rows]
    logits = desk_model().subjectivity_logits(embed([r["sentence"] for r in rows]))
    predictions = [int(v >= 0.0) for v in logits]
    f1 = [
        f1_positive([int(y == c) for y in labels], [int(p == c) for p in predictions])
        for c in (0, 1)
    ]
    return {"n": len(rows), "macro_f1": float(np.mean(f1))}


def format_results(results: dict[str, dict[str, float | int | str]]) -> str:
    r = results
    subjectivity = [
        f"  CheckThat! 2025 subjectivity dev-test ({lang}, n={r[key]['n']}): "
        f"macro-F1 {r[key]['macro_f1']:.3f} (the desk ranking's subjectivity head)"
        for lang in ("de", "en")
        if (key := f"subjectivity2025_dev_test_{lang}") in r
    ]
    lines = [
        "Check-worthiness on the dev splits (the public test splits are held out)",
        f"  CheckThat! 2024 dev-test (en, n={r['checkthat2024_dev']['n']}): "
        f"F1(pos) {r['checkthat2024_dev']['f1_positive']:.3f}, "
        f"AP {r['checkthat2024_dev']['average_precision']:.3f}",
        f"  ClaimBuster groundtruth (en, n={r['claimbuster_groundtruth']['n']}): "
        f"F1(pos) {r['claimbuster_groundtruth']['f1_positive']:.3f}, "
        f"AP {r['claimbuster_groundtruth']['average_precision']:.3f}",
        f"  CheckThat! 2019 held-out debates (en, {r['checkthat2019_heldout_debates']['debates']} "
        f"debates, n={r['checkthat2019_heldout_debates']['n']}): "
        f"MAP {r['checkthat2019_heldout_debates']['map']:.3f}",
        f"  GermEval 2021 subtask 3 dev fold (de, n={r['germeval2021_dev']['n']}): "
        f"official {r['germeval2021_dev']['official']:.2f}, "
        f"F1(pos) {r['germeval2021_dev']['f1_positive']:.3f}, "
        f"AP {r['germeval2021_dev']['average_precision']:.3f}",
        f"  Seed article (de, {r['seed_article']['sentences']} sentences): North Korea test "
        f"sentence ranks {r['seed_article']['rank']} (score {r['seed_article']['score']:.3f})",
        *subjectivity,
        f"  Thresholds: en {r['model']['threshold_en']:.2f}, de {r['model']['threshold_de']:.2f}",
        f"  Speed ({r['speed']['sentences']} sentences, {r['speed']['words']} words, one process): "
        f"encoder {r['speed']['encoder_seconds']:.1f}s, heads {r['speed']['heads_seconds']:.1f}s "
        f"({r['speed']['heads_words_per_s']:,.0f} words/s), "
        f"together {r['speed']['total_words_per_s']:,.0f} words/s",
    ]
    return "\n".join(lines)
