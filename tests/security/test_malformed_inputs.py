"""A bounded malformed-input run (issue #17): generated files and texts go through the whole
pipeline in this process; every article ends done or failed with a readable reason, none
crashes or stays in flight, and each stays within the stated time budget."""

from __future__ import annotations

import random
import time

import pytest

from claims.models import Article
from claims.services.ingestion import article_process_sync, article_submit

pytestmark = pytest.mark.django_db

SEED = 17
PER_ARTICLE_SECONDS = 25.0  # the budget in bench/results/extraction-budget.md, plus margin
_SENTENCE = "Die Regierung sagte am Dienstag, die Arbeitslosigkeit sei um 3 Prozent gesunken. "


def _pages(rnd: random.Random) -> list[bytes]:
    body = f"<p>{_SENTENCE * 3}</p>"
    return [
        bytes(rnd.getrandbits(8) for _ in range(4_000)),
        b"\xef\xbb\xbf<html><body>" + body.encode() + b"\x00\x00</body>",
        ("<html><body>" + body + "<div>" * 30_000).encode(),
        ("<html><body>" + body + "<table><tr><td>x" * 3_000).encode(),
        ("<html><body><div/" + "/".join(f"a{i}" for i in range(5_000)) + ">x</div>").encode(),
        ("<html><body>" + body + "</body></html>").encode("utf-16"),
        ('<html><body><p title="' + "x" * 200_000 + '">' + body + "</p>").encode(),
        ("<html><body>" + body + "<![CDATA[" + "]]>" * 10_000).encode(),
        ("<html><body>" + body + "<!--" * 20_000).encode(),
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><html><body>&a;&a;</body></html>",
    ]


def _texts(rnd: random.Random) -> list[str]:
    return [
        '"' * 10_000,
        "\U0001f600" * 12_500,
        "".join(chr(rnd.randrange(32, 0x2FFF)) for _ in range(20_000)),
        " ".join("".join(chr(rnd.randrange(97, 123)) for _ in range(6)) for _ in range(3_000)),
        _SENTENCE * 20 + "\x00\x01\x02" + "\u202e" * 100,
        ". " * 20_000,
        "\n" * 50_000 + _SENTENCE,
        _SENTENCE * 1_300,  # over the character cap
    ]


def _run(article: Article) -> Article:
    started = time.perf_counter()
    done = article_process_sync(article_id=article.pk)
    elapsed = time.perf_counter() - started
    assert elapsed < PER_ARTICLE_SECONDS, (article.pk, elapsed)
    return done


def test_generated_malformed_files_and_texts_all_end_with_a_final_status():
    rnd = random.Random(SEED)
    articles = [
        article_submit(source=Article.Source.FILE, html=page, enqueue=False)
        for page in _pages(rnd)
    ] + [
        article_submit(source=Article.Source.TEXT, text=text, enqueue=False)
        for text in _texts(rnd)
    ]  # fmt: skip

    results = [_run(article) for article in articles]

    for article in results:
        assert article.status in (Article.Status.DONE, Article.Status.FAILED), article.pk
        if article.status == Article.Status.FAILED:
            assert article.error_reason not in ("", "internal_error", "nlp_error"), (
                article.pk, article.error_reason, article.error,
            )  # fmt: skip
            assert article.error and "Traceback" not in article.error
