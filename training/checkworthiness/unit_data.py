"""The desk model's training data as the integrated pipeline produces it.

Each annotated dev article is read as ingestion stores it (training.extraction.evaluate), run
through ``claims.nlp.extract_claims_batch``, and the desk model's inputs are captured per unit:
the unit texts, their structure segments and candidate flags, speaker fields, embeddings and
sentence-level scores. Gold sentences are located in the article text and mapped onto units with
the evaluation's own rules (a unit *covers* a gold sentence when it holds at least half of it), so
the labels here are the ones the evaluation counts. Only split == "dev" is ever read.

The pipeline takes a few minutes over the dev articles: the capture is cached (pickle, outside
the repo) and reused while the pipeline's version of the units is unchanged.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# A local cache, our own file; CLAIMTRACKER_DESK_CACHE keeps parallel worktrees apart.
CACHE = Path(os.environ.get("CLAIMTRACKER_DESK_CACHE", "/tmp/claimtracker-desk-units.pkl"))  # noqa: S108


@dataclass
class UnitArticle:
    id: str
    lang: str
    title: str | None
    text: str
    units: list[str]
    segments: list[str]
    candidate: np.ndarray  # bool per unit
    reported: list[bool]
    claimant: list[str | None]
    embeddings: np.ndarray
    checkworthiness: np.ndarray
    claims: list[Any]  # the pipeline's ExtractedClaim list (scores replaced when evaluating)
    gold: Any  # training.extraction.evaluate.GoldArticle
    kept: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 1 = covers a worthy sentence
    top: np.ndarray = field(default_factory=lambda: np.zeros(0))  # 1 = covers a gold top claim
    non_claim: np.ndarray = field(default_factory=lambda: np.zeros(0))  # inside a gold non-claim
    # The annotators' order of their top claims ("best first"): 0 for the first, 1, 2; -1 = none.
    top_rank: np.ndarray = field(default_factory=lambda: np.zeros(0))


def _label(article: UnitArticle) -> None:
    from training.extraction.evaluate import _normalised, covers, locate, mostly_inside

    norm = _normalised(article.text)
    a = article.gold.annotation

    def spans(items: list[dict]) -> list[tuple[int, int]]:
        return [s for item in items if (s := locate(item["sentence"], article.text, norm))]

    top = spans(a.get("top_claims", []))
    worthy = top + spans(a.get("checkworthy", []))
    non = spans(a.get("non_claims", []))
    units = [(c.start, c.end) for c in article.claims]
    article.top = np.array([any(covers(u, s) for s in top) for u in units], dtype=float)
    ranked = [locate(item["sentence"], article.text, norm) for item in a.get("top_claims", [])]
    article.top_rank = np.array(
        [next((j for j, s in enumerate(ranked) if s and covers(u, s)), -1) for u in units]
    )
    article.kept = np.array(
        [any(covers(u, s) or mostly_inside(u, s) for s in worthy) for u in units], dtype=float
    )
    article.non_claim = np.array(
        [
            any(mostly_inside(u, s) for s in non) and not k
            for u, k in zip(units, article.kept, strict=True)
        ],
        dtype=float,
    )


def _capture(shared: Path) -> list[UnitArticle]:
    import claims.nlp.extract as extract
    from claims.nlp.embeddings import embed
    from training.extraction.evaluate import load_gold, read_article

    captured: list[dict] = []
    original = extract._desk_scores

    def spy(units, analyses, lang, embeddings, title, checkworthiness):
        captured.append(
            {
                "units": list(units),
                "segments": [a.segment for a in analyses],
                "candidate": np.array([a.candidate for a in analyses], dtype=bool),
                "reported": [a.reported for a in analyses],
                "claimant": [a.claimant for a in analyses],
                "embeddings": np.asarray(embed(units) if embeddings is None else embeddings),
                "checkworthiness": np.asarray(checkworthiness, dtype=float),
            }
        )
        return original(units, analyses, lang, embeddings, title, checkworthiness)

    gold = [g for g in load_gold("dev") if g.split == "dev"]  # never the held-out articles
    out = []
    extract._desk_scores = spy
    try:
        for g in gold:
            doc = read_article(g, shared)
            captured.clear()
            context = extract.ArticleContext.of(doc.title, doc.published)
            claims = extract.extract_claims_batch([doc.text], g.language, contexts=[context])[0]
            claims = [dataclasses.replace(c, embedding=None) for c in claims]
            out.append(
                UnitArticle(
                    g.id, g.language, context.title, doc.text, claims=claims, gold=g, **captured[0]
                )
            )
    finally:
        extract._desk_scores = original
    return out


def unit_articles(shared: Path, cache: Path | None = CACHE, refresh: bool = False):
    """The dev articles' pipeline units with gold labels (cached)."""
    if cache is not None and cache.exists() and not refresh:
        articles = pickle.loads(cache.read_bytes())  # noqa: S301 (written by _capture above)
    else:
        articles = _capture(shared)
        if cache is not None:
            cache.write_bytes(pickle.dumps(articles))
    for a in articles:
        _label(a)
    return articles
