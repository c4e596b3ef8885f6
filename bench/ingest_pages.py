"""Pages for bench/bench_ingest.py: the worst case's template pages, the realistic mode's real
news articles with inserted repeats, and the pre-filled store of claims."""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CLAIMTRACKER_SHARED", "/work/shared"))


def worst_pages(n: int) -> list[bytes]:
    """N distinct pages: the test articles with a distinct paragraph each (no content dedupe)."""
    templates = [
        (ROOT / "tests/pages/article_de.html").read_text(),
        (ROOT / "tests/pages/article_en.html").read_text(),
    ]
    out = []
    for i in range(n):
        html = templates[i % 2]
        extra = (
            f"<p>Die Stadt meldete im Jahr {1990 + i % 30} genau {i * 37} neue Fälle.</p>"
            if i % 2 == 0
            else f"<p>The agency reported {i * 37} new cases in {1990 + i % 30}.</p>"
        )
        out.append(html.replace("</article>", extra + "</article>", 1).encode())
    return out


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ\"„])")


def news_articles() -> dict[str, list[tuple[str, list[str]]]]:
    """(title, paragraphs) of real news articles per language, from the shared news pages."""
    from claims.ingest.extract import extract_html

    german = []
    with (SHARED / "news-pages/de-text/10kgnad-test.csv").open(encoding="utf-8") as fh:
        for line in fh:
            text = line.partition(";")[2].strip().strip("'")
            sentences = _SENTENCE_END.split(text)
            if len(sentences) < 6:
                continue
            paragraphs = [" ".join(sentences[i : i + 3]) for i in range(1, len(sentences), 3)]
            german.append((sentences[0], paragraphs))
    english = []
    for path in sorted((SHARED / "news-pages/en").glob("en-*.html")):
        doc = extract_html(path.read_bytes(), url="https://news.example/" + path.stem)
        paragraphs = [p for p in doc.text.split("\n") if len(p.split()) >= 6]
        if doc.language == "en" and sum(map(len, paragraphs)) >= 1000:
            english.append((doc.title or paragraphs[0][:80], paragraphs))
    return {"de": german, "en": english}


def article_parts(articles: list[tuple[str, list[str]]], chars: int) -> list[tuple[str, list[str]]]:
    """Each article cut to about `chars` characters of text; a long one gives a second part
    from where the first stops (a different text: the English pool has ~150 articles only)."""
    first, second = [], []
    for title, paragraphs in articles:
        parts: list[list[str]] = [[]]
        size = 0
        for p in paragraphs:
            if size >= chars:
                if len(parts) == 2:
                    break
                parts.append([])
                size = 0
            parts[-1].append(p)
            size += len(p)
        first.append((title, parts[0]))
        if len(parts) == 2 and sum(map(len, parts[1])) >= chars // 2:
            second.append((title, parts[1]))
    return first + second


def page_html(i: int, lang: str, title: str, paragraphs: list[str]) -> bytes:
    from html import escape

    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    day = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00Z"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        f'<meta property="article:published_time" content="{day}"></head>'
        f"<body><header><nav><a href='/'>Home</a></nav></header><main><article>"
        f"<h1>{escape(title)}</h1>\n{body}\n</article></main></body></html>"
    ).encode()


def reword(text: str, lang: str) -> str:
    """A repeat in other words: a word in the middle dropped, an attribution added."""
    words = text.rstrip(".").split()
    if len(words) > 8:
        del words[len(words) // 2]
    return " ".join(words) + (", hieß es." if lang == "de" else ", officials said.")


def realistic_pages(n: int, *, rate: float, chars: int, rng: random.Random):
    """N different real articles, alternating German and English, `rate` of their check-worthy
    claims repeated from earlier pages of the same language (half verbatim, half reworded).

    The repeats are chosen among the claims the pipeline itself finds check-worthy (a pre-pass
    of the claim NLP over the pages), and inserted as a paragraph of their own at a random place.
    """
    from claims.nlp import extract_claims

    pool = {lang: article_parts(articles, chars) for lang, articles in news_articles().items()}
    per_lang = {"de": 0, "en": 0}
    base = []
    for i in range(n):
        lang = "de" if i % 2 == 0 else "en"
        title, paragraphs = pool[lang][per_lang[lang] % len(pool[lang])]
        if per_lang[lang] >= len(pool[lang]):
            print(f"warning: only {len(pool[lang])} {lang} texts; page {i} repeats one")
        per_lang[lang] += 1
        base.append((lang, title, paragraphs))
    t0 = time.perf_counter()
    checkworthy = []
    for lang, title, paragraphs in base:
        found = extract_claims("\n\n".join(paragraphs), lang=lang, title=title)
        checkworthy.append([c.text for c in found if c.checkworthy and c.candidate])
    prepass = time.perf_counter() - t0
    earlier: dict[str, list[str]] = {"de": [], "en": []}
    bodies, inserted, verbatim = [], 0, 0
    for i, ((lang, title, paragraphs), claims) in enumerate(zip(base, checkworthy, strict=True)):
        paragraphs = list(paragraphs)
        for _claim in claims:
            if earlier[lang] and rng.random() < rate:
                repeat = rng.choice(earlier[lang])
                if rng.random() < 0.5:
                    verbatim += 1
                else:
                    repeat = reword(repeat, lang)
                paragraphs.insert(rng.randint(1, len(paragraphs)), repeat)
                inserted += 1
        earlier[lang].extend(claims)
        bodies.append(page_html(i, lang, title, paragraphs))
    info = {
        "pool_de": len(pool["de"]),
        "pool_en": len(pool["en"]),
        "checkworthy_base": sum(map(len, checkworthy)),
        "inserted": inserted,
        "verbatim": verbatim,
        "prepass_s": prepass,
        "chars": sum(len(b) for b in bodies) / max(1, len(bodies)),
    }
    return bodies, info


def seed_store(count: int) -> dict:
    """`count` stored, check-worthy claims (5 per article) with random unit vectors and real
    claim sentences, written with COPY, then the shared vector index built over them."""
    from bench_matching_db import claim_texts
    from bench_vector_index import seed

    from claims.services.matching import vector_index_update

    t0 = time.perf_counter()
    texts, source = claim_texts(max(count, 1), random.Random(13))
    seed(0, count, texts, {}, random.Random(13))
    seeded = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    generation = vector_index_update(wait=True)
    return {
        "claims": count,
        "source": source,
        "seed_s": seeded,
        "index_s": time.perf_counter() - t0,
        "index_cpu_s": time.process_time() - c0,
        "high_water": generation.high_water if generation else 0,
    }
