"""Desk variants that score the unit's standalone text (what a fact-checker would check).

    PYTHONPATH=. python training/checkworthiness/desk_standalone.py --data ../shared/datasets \
        --shared ../shared [--only NAME]

The pipeline's units of the dev articles (unit_data.py) carry each unit's standalone text
(references resolved, the speaker attached as "Laut X ..." / "According to X, ...", attribution
clauses removed). Each variant recomputes the text features over another text and refits the
desk model with the shipped objective (within-article pairwise, annotators' top-claim order),
article-level 5-fold CV as in desk_cv.py. Texts:

- sentence: the unit as written (the shipped model);
- standalone: ExtractedClaim.standalone;
- bare: the standalone without the attached speaker ("Laut X" / "According to X," / ", so X")
  and without the "(Stand: ...)" / "(as of ...)" date anchor: the claim alone.

Paired differences against the sentence baseline come with a 95% article-bootstrap interval
(same resampled articles for both), so a gain under noise shows as one.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training.checkworthiness.desk_cv import (
    BASE,
    evaluate,
    oof,
    ordered_pairwise,
    seed_rank,
    short,
    unit_data,
)
from training.checkworthiness.embed_cache import cached_embeddings
from training.checkworthiness.train_desk import NEWS_COLUMN, ArticleData, oof_calibrated
from training.checkworthiness.unit_data import UnitArticle, unit_articles

_ANCHOR = re.compile(r"\s*\((Stand|as of):? [^)]*\)")
_SUFFIX = re.compile(r",\s+(so|laut|according to)\s+[^,\"»«“”]*?\.?$")


def bare_claim(standalone: str, claimant: str | None) -> str:
    """The standalone text without its speaker and date anchor (approximate, rule-based)."""
    text = _ANCHOR.sub("", standalone).strip()
    for lead in ("Laut ", "According to "):
        if not text.startswith(lead):
            continue
        if claimant and claimant != "unattributed" and claimant in text[:160]:
            cut = text.index(claimant) + len(claimant)
        elif lead == "According to " and "," in text[:160]:
            cut = text.index(",")
        else:
            break
        rest = text[cut:].lstrip(", ")
        text = rest[:1].upper() + rest[1:] if rest else text
        break
    text = _SUFFIX.sub(".", text).strip()
    return text.replace(".,", ",").replace('."', '"')


def _retexted(articles: list[UnitArticle], kind: str) -> list[UnitArticle]:
    """The articles with each unit's text replaced (standalone or bare), features recomputed."""
    from claims.nlp.checkworthiness import checkworthiness_scores

    out = []
    for lang in ("de", "en"):
        arts = [a for a in articles if a.lang == lang]
        texts = []
        for a in arts:
            for c in a.claims:
                s = c.standalone or c.text
                texts.append(bare_claim(s, c.claimant) if kind == "bare" else s)
        vectors = cached_embeddings(f"desk-{kind}-{lang}", texts)
        start = 0
        for a in arts:
            n = len(a.claims)
            t, e = texts[start : start + n], vectors[start : start + n]
            start += n
            same = np.array([x == u for x, u in zip(t, a.units, strict=True)])
            emb = np.where(same[:, None], a.embeddings, e)  # identical text: identical vector
            cw = np.asarray(checkworthiness_scores(t, lang=lang, embeddings=emb), dtype=float)
            out.append(dataclasses.replace(a, units=t, embeddings=emb, checkworthiness=cw))
    order = {a.id: i for i, a in enumerate(articles)}
    return sorted(out, key=lambda a: order[a.id])


@dataclasses.dataclass
class TwoText(ArticleData):
    """Sentence features with the standalone's next to them: the news head is applied to both."""

    alt: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    mode: str = "max"  # "max": elementwise max per column; "col": the standalone's as columns

    def with_head(self, head):
        out = super().with_head(head)
        if head is None:
            return out
        other = self.alt @ head[0] + head[1]
        if self.mode == "max":
            out[:, NEWS_COLUMN] = np.maximum(out[:, NEWS_COLUMN], other)
        else:
            out[:, -1] = other
        return out


def _mixed(sent: list[ArticleData], alt: list[ArticleData], how: str) -> list[ArticleData]:
    out = []
    for s, a in zip(sent, alt, strict=True):
        d = dataclasses.replace(s)
        d.grade, d.ordered, d.index = s.grade, s.ordered, s.index
        f = s.features.copy()
        if how == "emb":  # the three embedding features on the other text, the rest as written
            f[:, [0, 1]] = a.features[:, [0, 1]]
            d.embeddings = a.embeddings
        elif how == "max":
            f[:, [0, 1]] = np.maximum(s.features[:, [0, 1]], a.features[:, [0, 1]])
            d = TwoText(**{k.name: getattr(d, k.name) for k in dataclasses.fields(ArticleData)})
            d.alt, d.mode = a.embeddings, "max"
        elif how == "col":  # checkworthiness, subjectivity, news head of the other text as columns
            f = np.hstack([f, a.features[:, [0, 1]], np.zeros((len(f), 1))])
            d = TwoText(**{k.name: getattr(d, k.name) for k in dataclasses.fields(ArticleData)})
            d.alt, d.mode = a.embeddings, "col"
        d.features = f
        d.grade, d.ordered, d.index = s.grade, s.ordered, s.index
        out.append(d)
    return out


def _top5_rows(data: list[ArticleData], scores: list[np.ndarray]) -> dict[str, list]:
    from training.extraction.evaluate import score_article

    rows: dict[str, list] = {"de": [], "en": []}
    for d, s in zip(data, scores, strict=True):
        a = d.article
        full = np.zeros(len(a.claims))
        full[d.index] = s
        claims = [
            dataclasses.replace(c, score=float(full[k]), checkworthy=bool(full[k] >= 0.5))
            for k, c in enumerate(a.claims)
        ]
        pair = score_article(a.gold, a.text, claims, None)[0].values.get("top5_recall", [0, 0])
        rows[a.lang].append(pair)
    return rows


def paired(base: dict, other: dict, n: int = 2000) -> str:
    """Top-5 recall difference (other - base) per language with a paired article bootstrap."""
    cells = []
    for lang in ("de", "en"):
        b, o = np.array(base[lang], float), np.array(other[lang], float)
        rng = random.Random(0)
        diffs = []
        for _ in range(n):
            idx = [rng.randrange(len(b)) for _ in b]
            den = b[idx, 1].sum() or 1.0
            diffs.append((o[idx, 0].sum() - b[idx, 0].sum()) / den)
        point = (o[:, 0].sum() - b[:, 0].sum()) / b[:, 1].sum()
        lo, hi = np.percentile(diffs, [2.5, 97.5])
        cells.append(f"{lang} Δtop5 {point:+.2f} [{lo:+.2f}, {hi:+.2f}]")
    return " | ".join(cells)


SOURCES = {
    "10kGNAD (gnad-*)": lambda i: i.startswith("gnad-"),
    "German news pages (de-*)": lambda i: i.startswith("de-"),
}


def cross_source(data: list[ArticleData], columns: list[int]) -> dict[str, tuple[str, dict]]:
    """Top-5 recall of a source scored by a desk trained on all other articles (ranking only:
    the order within an article does not depend on the Platt scaling)."""
    from training.checkworthiness.desk_cv import fit, logits

    out = {}
    for name, member in SOURCES.items():
        test = [d for d in data if member(d.article.id)]
        params = fit([d for d in data if not member(d.article.id)], columns, ordered_pairwise, 1.0)
        scores = [logits(params, d) for d in test]
        r = evaluate(test, scores)["de"]["top5_recall"]
        out[name] = (
            f"{r['value']:.2f} [{r['ci95'][0]:.2f}-{r['ci95'][1]:.2f}]",
            _top5_rows(test, scores),
        )
    return out


def seed_key(data: list[ArticleData], scores: list[np.ndarray]) -> int:
    """Rank (1 = first) of the seed article's first gold top claim among its candidates."""
    for d, s in zip(data, scores, strict=True):
        if d.article.id == "seed-hanoi":
            key = int(np.flatnonzero(d.article.top_rank[d.index] == 0)[0])
            return int((s > s[key]).sum()) + 1
    return -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--only", default="")
    parser.add_argument("--cross", action="store_true", help="cross-language rows as well")
    parser.add_argument("--sources", action="store_true", help="cross-source rows as well")
    args = parser.parse_args()
    from claims.nlp.ranking import MODEL_FILE

    with np.load(MODEL_FILE, allow_pickle=False) as z:
        subj = (z["subj_coef"], float(z["subj_bias"]))
    articles = unit_articles(args.shared)
    sent = unit_data(articles, subj)
    stand = unit_data(_retexted(articles, "standalone"), subj)
    bare = unit_data(_retexted(articles, "bare"), subj)
    three = [*BASE, sent[0].features.shape[1], sent[0].features.shape[1] + 1]
    three.append(three[-1] + 1)
    variants = [
        ("(0) sentence (shipped basis)", sent, BASE),
        ("(1) all text features on the standalone", stand, BASE),
        ("(1e) embedding features on the standalone", _mixed(sent, stand, "emb"), BASE),
        ("(2m) max(sentence, standalone) embedding features", _mixed(sent, stand, "max"), BASE),
        (
            "(2c) sentence + standalone embedding features as columns",
            _mixed(sent, stand, "col"),
            three,
        ),
        ("(3) all text features on the bare claim", bare, BASE),
        ("(3e) embedding features on the bare claim", _mixed(sent, bare, "emb"), BASE),
    ]
    base_rows = None
    base_sources: dict = {}
    for name, data, columns in variants:
        if args.only not in name and not name.startswith("(0)"):
            continue
        scores = oof_calibrated(data, oof(data, columns, ordered_pairwise, 1.0))
        rows = _top5_rows(data, scores)
        base_rows = base_rows or rows
        print(f"{name:60s} {short(evaluate(data, scores))}")
        print("   paired vs (0):", paired(base_rows, rows))
        print(
            "   seed-hanoi top 3:",
            seed_rank(data, scores),
            "| first top claim at",
            seed_key(data, scores),
        )
        if args.sources:
            for src, (cell, r) in cross_source(data, columns).items():
                base_sources.setdefault(src, r)
                delta = paired(
                    {"de": base_sources[src]["de"], "en": [[0, 1]]}, {"de": r["de"], "en": [[0, 1]]}
                )
                print(f"   others -> {src}: top5 {cell}, {delta.split(' | ')[0]}")
        if args.cross:
            for lang in ("de", "en"):
                s = oof_calibrated(data, oof(data, columns, ordered_pairwise, 1.0, lang=lang))
                print(f"   trained on {lang} only: {short(evaluate(data, s))}")


if __name__ == "__main__":
    main()
