"""python manage.py ingest [--sync] [--json] [--url URL] SOURCE..."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.exceptions import InvalidInputError
from claims.models import Article
from claims.selectors.articles import article_as_dict, article_with_claims
from claims.services.ingestion import article_process_sync, article_submit

HTML_SUFFIXES = {".html", ".htm"}


class Command(BaseCommand):
    help = (
        "Ingest articles from http(s) URLs, local .html/.htm/.txt files or '-' (text on stdin). "
        "Without --sync they are queued for the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE")
        parser.add_argument(
            "--sync", action="store_true", help="Run the pipeline in this process and wait."
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per article.")
        parser.add_argument("--url", help="Original address of a file or stdin source.")

    def handle(self, *args, sources, sync, json: bool, url: str | None, **options):
        local = [s for s in sources if not s.startswith(("http://", "https://"))]
        if url and len(local) != 1:
            raise CommandError("--url names the address of exactly one file or '-' source.")
        failed = 0
        show_progress = len(sources) > 1 and not json and sync
        for source in tqdm(sources, disable=not show_progress, file=sys.stderr, unit="article"):
            try:
                article = self._submit(source, url=url, enqueue=not sync)
                if sync and article.status not in (Article.Status.DONE, Article.Status.FAILED):
                    article = article_process_sync(article_id=article.pk)
            except (InvalidInputError, OSError) as exc:
                failed += 1
                self._report_error(source, str(getattr(exc, "message", exc)), as_json=json)
                continue
            article = article_with_claims(article_id=article.pk)
            failed += article.status == Article.Status.FAILED
            self._report(article, as_json=json, sync=sync)
        if failed:
            raise CommandError(f"{failed} of {len(sources)} article(s) failed.", returncode=1)

    def _submit(self, source: str, *, url: str | None, enqueue: bool) -> Article:
        if source.startswith(("http://", "https://")):
            return article_submit(source=Article.Source.URL, url=source, enqueue=enqueue)
        if source == "-":
            return article_submit(
                source=Article.Source.TEXT, text=sys.stdin.read(), url=url, enqueue=enqueue
            )
        path = Path(source)
        if not path.is_file():
            raise InvalidInputError(f"No such file: {source}")
        if path.suffix.lower() in HTML_SUFFIXES:
            return article_submit(
                source=Article.Source.FILE, html=path.read_bytes(), url=url, enqueue=enqueue
            )
        if path.suffix.lower() == ".txt":
            return article_submit(
                source=Article.Source.FILE,
                text=path.read_text(encoding="utf-8", errors="replace"),
                url=url,
                enqueue=enqueue,
            )
        raise InvalidInputError(f"Unsupported file type (use .html, .htm or .txt): {source}")

    def _report(self, article: Article, *, as_json: bool, sync: bool) -> None:
        data = article_as_dict(article)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        line = f"#{article.pk} {article.status}: {article.title or article.url or '(untitled)'}"
        if article.error:
            line += f" — {article.error}"
        self.stdout.write(line)
        if sync:
            for claim in [c for c in data["claims"] if c["candidate"]][:5]:
                who = f" [{claim['claimant']}]" if claim["claimant"] else ""
                self.stdout.write(
                    f"   {claim['score']:.2f} {claim['type']:<10} {claim['standalone'][:100]}{who}"
                )

    def _report_error(self, source: str, message: str, *, as_json: bool) -> None:
        if as_json:
            row = {
                "id": None,
                "url": source,
                "status": "failed",
                "error": message,
                "title": "",
                "language": None,
                "published_at": None,
                "text": "",
                "claims": [],
            }
            self.stdout.write(json.dumps(row, ensure_ascii=False))
        else:
            self.stderr.write(f"{source}: {message}")
