"""Score the dev splits with the shipped check-worthiness model and print the model card's metrics.

    python manage.py evaluate_claims [--data PATH] [--json]

--data defaults to $CLAIMTRACKER_DATASETS, else ../shared/datasets beside the project root. Needs no
database. Exits non-zero, saying what is missing, when the datasets are not there (CI has no data).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def default_data_path() -> Path:
    env = os.environ.get("CLAIMTRACKER_DATASETS")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "datasets"


class Command(BaseCommand):
    help = (
        "Evaluate the check-worthiness model on the dev splits (CheckThat!, ClaimBuster, GermEval)."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", type=Path, default=None, help="the datasets folder")
        parser.add_argument("--json", action="store_true", help="print the metrics as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        # The harness lives with the training code (training/checkworthiness/) so that training,
        # the candidate comparison and this command compute the very same numbers.
        from claims.nlp.checkworthiness import checkworthiness_model
        from training.checkworthiness.evaluate import evaluate, format_results, missing_files

        root: Path = options["data"] or default_data_path()
        missing = missing_files(root)
        if missing:
            raise CommandError(
                f"no evaluation data at {root}: missing {', '.join(missing)}. Pass --data PATH "
                "or set CLAIMTRACKER_DATASETS (see docs/model-card-checkworthiness.md)."
            )
        results = evaluate(checkworthiness_model(), root)
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=2, sort_keys=True))
        else:
            self.stdout.write(format_results(results))
