"""python manage.py import_factchecks [--json] [--url URL] [--source ID] [--no-embed] SOURCE..."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from claims.models import FactCheckSource
from claims.services.factchecks.sources import FactCheckSourceError, factchecks_import


class Command(BaseCommand):
    help = (
        "Import other fact-checkers' ClaimReviews: a dump file (DataCommons feed format), an HTML "
        "page (a file, with --url for its address, or an http(s) URL) or a sitemap URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", metavar="SOURCE")
        parser.add_argument("--json", action="store_true", help="One JSON object per review.")
        parser.add_argument("--url", help="Address of an HTML file source.")
        parser.add_argument("--source", type=int, help="Record the reviews under this source id.")
        parser.add_argument(
            "--no-embed",
            action="store_true",
            help="Do not compute matching vectors now (the NLP worker does it on first use).",
        )
        parser.add_argument(
            "--rematch",
            action="store_true",
            help="Afterwards match every stored check-worthy claim against the known fact-checks.",
        )

    def handle(self, *args, sources, json: bool, url, source, no_embed, rematch, **options):
        if not sources and not rematch:
            raise CommandError("Name at least one SOURCE (or use --rematch).")
        local = [s for s in sources if not s.startswith(("http://", "https://"))]
        if url and len(local) != 1:
            raise CommandError("--url names the address of exactly one file source.")
        fact_check_source = None
        if source is not None:
            fact_check_source = FactCheckSource.objects.filter(pk=source).first()
            if fact_check_source is None:
                raise CommandError(f"No fact-check source with id {source}.")
        unreadable = 0
        counts: dict[str, int] = {}
        for item in sources:
            try:
                outcomes = factchecks_import(
                    source=item, url=url, fact_check_source=fact_check_source
                )
            except FactCheckSourceError as exc:
                unreadable += 1
                self.stderr.write(f"{item}: {exc.message}")
                continue
            for outcome in outcomes:
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                if json:
                    self.stdout.write(_dumps(outcome.as_dict()))
                else:
                    line = f"{outcome.status:<9} {outcome.publisher}: {outcome.claim_reviewed[:80]}"
                    if outcome.error:
                        line += f" — {outcome.error}"
                    self.stdout.write(line)
        if not no_embed:
            from claims.services.factchecks.matching import factchecks_embed_missing

            factchecks_embed_missing()
            # The workers' shared index takes them now, not at the beat task's next run (a big
            # dump would otherwise leave searches scanning only its newest rows until then).
            from claims.services.factchecks.index import factcheck_index_update

            factcheck_index_update(wait=True)
        if rematch:
            from claims.services.factchecks.matching import claims_rematch_factchecks

            looked_at = claims_rematch_factchecks()
            self.stderr.write(f"{looked_at} claim(s) matched against the known fact-checks")
        if not json:
            summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            self.stderr.write(summary or "no reviews found")
        if unreadable:
            raise CommandError(
                f"{unreadable} of {len(sources)} source(s) could not be read.", returncode=1
            )


def _dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False)
