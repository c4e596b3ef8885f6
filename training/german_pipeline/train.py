"""Reproduce the shipped German pipeline with one command:

    python training/german_pipeline/train.py [--data DIR] [--max-steps 3000]

Converts the shared German data (convert.py), trains config.cfg on one CPU thread, evaluates on our
dev split and writes the best model to claims/nlp/models/de_claimtracker/ with its meta and metrics.
The intermediate corpus and training output live in --workdir (default /tmp/claimtracker-german),
never in the repository: the training data must not be committed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TARGET = REPO / "claims" / "nlp" / "models" / "de_claimtracker"


# ../shared beside the project root (the shared material is never committed)
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "german"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "claimtracker-german"
    )
    ap.add_argument("--max-steps", type=int, default=3000)
    ap.add_argument("--output", type=Path, default=TARGET)
    ap.add_argument(
        "--package-only",
        action="store_true",
        help="skip conversion and training; package <workdir>/run/model-best",
    )
    args = ap.parse_args()
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    corpus, run = args.workdir / "corpus", args.workdir / "run"
    py = sys.executable
    if args.package_only:
        return package(run / "model-best", corpus / "dev.spacy", args.output, env)
    subprocess.run(
        [py, str(HERE / "convert.py"), "--data", str(args.data), "--out", str(corpus)],
        check=True,
        env=env,
    )
    subprocess.run(
        [
            py,
            "-m",
            "spacy",
            "train",
            str(HERE / "config.cfg"),
            "-o",
            str(run),
            "--paths.train",
            str(corpus / "train.spacy"),
            "--paths.dev",
            str(corpus / "dev.spacy"),
            "--training.max_steps",
            str(args.max_steps),
        ],
        check=True,
        env=env,
    )
    package(run / "model-best", corpus / "dev.spacy", args.output, env)


def package(best: Path, dev: Path, output: Path, env: dict) -> None:
    metrics = dev.parent / "dev-metrics.json"
    subprocess.run(
        [sys.executable, "-m", "spacy", "evaluate", str(best), str(dev), "-o", str(metrics)],
        check=True,
        env=env,
    )
    import spacy

    nlp = spacy.load(best)
    nlp.meta.update(
        {
            "name": "claimtracker",
            "version": "0.1.0",
            "description": "Small German pipeline (morphologizer, parser, PER/ORG/LOC NER) for "
            "ClaimTracker's claim analysis. See docs/model-card-german-pipeline.md.",
            "license": "CC BY-SA 4.0 (trained on CC BY-SA and CC BY data)",
            "author": "ClaimTracker",
            "sources": [
                {"name": "UD German-GSD (dev, test)", "license": "CC BY-SA 4.0"},
                {"name": "UD German-PUD", "license": "CC BY-SA 3.0"},
                {"name": "UNER German-PUD", "license": "CC BY-SA 3.0"},
                {"name": "GermEval 2014 NER (dev, test)", "license": "CC BY 4.0"},
                {"name": "DFKI SmartData v1", "license": "CC BY 4.0"},
            ],
        }
    )
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    shutil.copy(metrics, output / "dev-metrics.json")
    size = sum(f.stat().st_size for f in output.rglob("*") if f.is_file())
    print(f"wrote {output} ({size / 1e6:.1f} MB); dev metrics in {metrics}")
    print(json.dumps(json.loads(metrics.read_text()), indent=1)[:2000])


if __name__ == "__main__":
    main()
