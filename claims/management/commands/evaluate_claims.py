"""Print the claim models' metrics: the public dev splits and our annotated real-news articles.

    python manage.py evaluate_claims [--public] [--articles [--split SPLIT]]
                                     [--data PATH] [--shared PATH] [--json]

SPLIT: dev, heldout, all (dev + heldout), final, blind, fresh, sealed (the next split scored
once), or seen (dev + heldout + final + blind + fresh: the splits already scored once as unseen
data, now development data).

--public scores the check-worthiness model on the public dev splits (CheckThat!, ClaimBuster,
GermEval); --articles runs the whole pipeline over the fact-checker-annotated news articles of
training/extraction/ (GUIDELINES.md) and prints the issue's per-language figures. Neither: both.
--data defaults to $CLAIMTRACKER_DATASETS, else ../shared/datasets beside the project root;
--shared (the articles' pages) to ../shared. Needs no database. Exits non-zero, saying what is
missing, when the data are not there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from training.extraction.evaluate import SPLITS

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def default_data_path() -> Path:
    env = os.environ.get("CLAIMTRACKER_DATASETS")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "datasets"


class Command(BaseCommand):
    help = (
        "Evaluate the claim models: check-worthiness on the public dev splits, and the whole "
        "pipeline on the annotated real-news articles."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--public", action="store_true", help="the public dev splits")
        parser.add_argument("--articles", action="store_true", help="the annotated articles")
        parser.add_argument(
            "--split",
            choices=SPLITS,
            default="dev",
            help="which annotated articles (all: dev and heldout; sealed: once, at the very end; "
            "seen: dev, heldout, final, blind and fresh, the splits already scored once as "
            "unseen data, now development data)",
        )
        parser.add_argument("--data", type=Path, default=None, help="the datasets folder")
        parser.add_argument("--shared", type=Path, default=None, help="the shared folder")
        parser.add_argument("--json", action="store_true", help="print the metrics as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        both = not options["public"] and not options["articles"]
        results: dict[str, Any] = {}
        if options["public"] or both:
            results["public"] = self._public(options["data"] or default_data_path())
        if options["articles"] or both:
            results["articles"] = self._articles(options["split"], options["shared"])
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2, sort_keys=True))
            return
        if "public" in results:
            from training.checkworthiness.evaluate import format_results

            self.stdout.write(format_results(results["public"]))
        if "articles" in results:
            from training.extraction.evaluate import format_results as format_articles

            self.stdout.write(format_articles(results["articles"]))

    def _public(self, root: Path) -> dict[str, Any]:
        # The harness lives with the training code (training/checkworthiness/) so that training,
        # the candidate comparison and this command compute the very same numbers.
        from claims.nlp.checkworthiness import checkworthiness_model
        from training.checkworthiness.evaluate import evaluate, missing_files

        missing = missing_files(root)
        if missing:
            raise CommandError(
                f"no evaluation data at {root}: missing {', '.join(missing)}. Pass --data PATH "
                "or set CLAIMTRACKER_DATASETS (see docs/model-card-checkworthiness.md)."
            )
        return evaluate(checkworthiness_model(), root)

    def _articles(self, split: str, shared: Path | None) -> dict[str, Any]:
        from training.extraction.evaluate import default_shared, evaluate_articles

        shared = shared or default_shared()
        if not (shared / "news-pages").is_dir():
            raise CommandError(
                f"no news pages at {shared / 'news-pages'}: the annotated articles are read from "
                "there. Pass --shared PATH (see docs/model-card-claim-extraction.md)."
            )
        return evaluate_articles(split, shared)
