"""Each annotated article's inputs, rebuilt from the shared pages (nothing of it is committed).

The annotators saw each article as a numbered sentence list made from the page's stored text by
the pipeline's sentence splitter (``claimtracker_sentences``). The development scripts rebuild
those inputs here instead of reading a dump: the text, title and date come from
``training.extraction.evaluate.read_article`` (pages, 10kGNAD lines and the seed read exactly as
ingestion reads them) and the sentence list from the *current* splitter, so the list can differ
slightly from the one the annotators numbered. Gold sentences are therefore matched by their
text, never by their number alone.

The shared material is ``../shared`` beside the project root, or ``--shared PATH`` /
``CLAIMTRACKER_SHARED``. Sentence lists are cached (JSON) under ``CLAIMTRACKER_CACHE`` or the
system temp dir, keyed by the article text and the NLP code, never in the repo. Only
articles of the split asked for are read; development scripts ask for "dev" only.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from training.extraction.evaluate import GoldArticle, default_shared, load_gold, read_article


def shared_dir(path: Path | str | None = None) -> Path:
    """The shared material: the argument, else $CLAIMTRACKER_SHARED, else ../shared."""
    if path:
        return Path(path)
    env = os.environ.get("CLAIMTRACKER_SHARED")
    return Path(env) if env else default_shared()


def cache_dir() -> Path:
    env = os.environ.get("CLAIMTRACKER_CACHE")
    base = Path(env) if env else Path(tempfile.gettempdir()) / "claimtracker-cache"
    return base / "article-inputs"


@dataclass(frozen=True)
class ArticleInputs:
    id: str
    language: str
    title: str | None
    published: date | None
    text: str  # exactly what ingestion stores as Article.text
    sentences: list[str]  # the splitter's sentences, each a substring of text
    gold: GoldArticle

    @property
    def annotation(self) -> dict:
        return self.gold.annotation


@cache
def _splitter_version() -> str:
    """A digest of the NLP package's code: a changed splitter never reuses a cached list (the
    splitter calls into several modules, so all of them count)."""
    import claims.nlp

    digest = hashlib.sha1()  # noqa: S324 (a cache key)
    root = Path(claims.nlp.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def split_sentences(text: str, lang: str) -> list[str]:
    """The body's sentences as the annotation inputs were made (the pipeline's first component
    on the bare tokenised text), stripped, empty ones dropped."""
    from claims.nlp.pipelines import claim_pipeline

    nlp = claim_pipeline(lang)
    doc = nlp.get_pipe("sentences")(nlp.make_doc(text))
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def _sentences(article_id: str, text: str, lang: str, use_cache: bool) -> list[str]:
    if not use_cache:
        return split_sentences(text, lang)
    key = hashlib.sha1(f"{_splitter_version()}\n{lang}\n{text}".encode()).hexdigest()[:16]  # noqa: S324
    path = cache_dir() / f"{article_id}-{key}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    sentences = split_sentences(text, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    return sentences


def article_inputs(
    gold: GoldArticle, shared: Path | None = None, use_cache: bool = True
) -> ArticleInputs:
    doc = read_article(gold, shared_dir(shared))
    return ArticleInputs(
        id=gold.id,
        language=gold.language,
        title=doc.title,
        published=doc.published,
        text=doc.text,
        sentences=_sentences(gold.id, doc.text, gold.language, use_cache),
        gold=gold,
    )


def dev_inputs(
    shared: Path | None = None, lang: str | None = None, use_cache: bool = True
) -> list[ArticleInputs]:
    """The annotated dev articles' inputs in manifest order (held-out pages are never opened)."""
    golds = [g for g in load_gold("dev") if g.split == "dev"]
    return [
        article_inputs(g, shared, use_cache) for g in golds if lang is None or g.language == lang
    ]
