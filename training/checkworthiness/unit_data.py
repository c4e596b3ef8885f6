"""The desk model's training data as the integrated pipeline produces it.

Each annotated dev article is read as ingestion stores it (training.extraction.evaluate), run
through ``claims.nlp.extract_claims_batch``, and the desk model's inputs are captured per unit:
the unit texts, their structure segments and candidate flags, speaker fields, embeddings and
sentence-level scores. Gold sentences are located in the article text and mapped onto units with
the evaluation's own rules (a unit *covers* a gold sentence when it holds at least half of it), so
the labels here are the ones the evaluation counts. Only the splits asked for by name are read
(``splits``; default "dev"); ``SEEN`` is every split that has been scored as unseen data once and
may now be trained on (dev, heldout, final, blind, fresh). A split that is not in ``SEEN`` (a new
untouched one) is refused.

The pipeline takes a few minutes over the dev articles: the capture is cached per split (pickle,
outside the repo) and reused while the pipeline's version of the units is unchanged.
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

# The splits the desk may learn from: "dev", and the four splits that were each scored once as
# unseen data (issue #12) and are spent since ("fresh" last). Numbers on them are development
# numbers. Listed here, not read from training.extraction.evaluate.SEEN, because the desk may
# learn from a split as soon as it is spent, whatever the evaluation's groups say.
SEEN = ("dev", "heldout", "final", "blind", "fresh")


def parse_splits(value: str) -> tuple[str, ...]:
    """ "seen" or a comma-separated list of splits out of SEEN ("dev", "dev,heldout")."""
    splits = SEEN if value == "seen" else tuple(s.strip() for s in value.split(",") if s.strip())
    unknown = [s for s in splits if s not in SEEN]
    if unknown or not splits:
        raise ValueError(f"splits {value!r}: each one of {', '.join(SEEN)} (or 'seen')")
    return splits


def split_cache(cache: Path, split: str) -> Path:
    """One cache file per split; "dev" keeps the historical name."""
    return cache if split == "dev" else cache.with_name(f"{cache.stem}-{split}{cache.suffix}")


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


def _capture(shared: Path, split: str = "dev", limit: int | None = None) -> list[UnitArticle]:
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

    if split not in SEEN:
        raise ValueError(f"split {split!r} is not one the desk may read ({', '.join(SEEN)})")
    gold = [g for g in load_gold(split) if g.split == split]
    if limit is not None:  # the first articles of each language (smoke tests of the training)
        gold = [
            g for g in gold if sum(h.language == g.language for h in gold[: gold.index(g)]) < limit
        ]
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


def unit_articles(
    shared: Path,
    cache: Path | None = CACHE,
    refresh: bool = False,
    splits: tuple[str, ...] = ("dev",),
    limit: int | None = None,
) -> list[UnitArticle]:
    """The pipeline units of the articles of ``splits`` with gold labels (cached per split;
    ``limit`` takes that many articles per language and split, uncached)."""
    out: list[UnitArticle] = []
    for split in splits:
        path = None if cache is None or limit is not None else split_cache(cache, split)
        if path is not None and path.exists() and not refresh:
            articles = pickle.loads(path.read_bytes())  # noqa: S301 (written by _capture above)
        else:
            articles = _capture(shared, split, limit)
            if path is not None:
                path.write_bytes(pickle.dumps(articles))
        out.extend(articles)
    for a in out:
        _label(a)
    return out
