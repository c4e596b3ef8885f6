"""Article-context features for the desk (round "context", issue #12): what a unit-by-unit score
cannot see of its article.

Everything here is computed from what the pipeline already has when it ranks an article's units
(their texts, structure segments, positions, the multilingual embeddings every unit gets anyway,
the sentence-level check-worthiness scores, and the headline's embedding: one more sentence), so
the features cost no extra encoder pass over the units. Computed over *all* of an article's units
(the candidates are then picked out), so a unit's neighbours and the article's centroid are the
same at training and at run time. Pure numpy: this module would move to claims/nlp if a model
over it shipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from claims.nlp.ranking import BOILERPLATE_SEGMENTS

CONTEXT_NAMES = (
    "sim_title",  # cosine to the headline's embedding (the article's own statement of its news)
    "sim_lead",  # cosine to the centroid of the other lead units
    "sim_centroid",  # cosine to the centroid of the article's other real units (centrality)
    "novelty",  # 1 - the highest cosine to any earlier real unit (restatement of the lead is low)
    "rel_position",  # rank among the real units / their number (0 = first)
    "cw_rank",  # the sentence score's rank within the article, 1 = best, 0 = worst
    "cw_gap",  # sentence logit minus the article's best (0 = its best sentence)
    "quote_self",  # a quote segment or a unit with quotation marks
    "quote_neighbour",  # the previous or the next real unit is a quote
    "subhead",  # the structure calls it a subhead
    "long",  # log of the word count
)
_QUOTE_MARK = re.compile(r"[\"“”„«»]")


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def context_features(
    texts: Sequence[str],
    *,
    segments: Sequence[str],
    embeddings: np.ndarray,
    checkworthiness: Sequence[float],
    title_embedding: np.ndarray | None = None,
) -> np.ndarray:
    """Shape (len(texts), len(CONTEXT_NAMES)), float64, for every unit of one article in order."""
    n = len(texts)
    out = np.zeros((n, len(CONTEXT_NAMES)))
    if not n:
        return out
    e = np.asarray(embeddings, dtype=np.float64)
    real = np.array([s not in BOILERPLATE_SEGMENTS for s in segments])
    if not real.any():
        real[:] = True
    idx = np.flatnonzero(real)
    if title_embedding is not None:
        out[:, 0] = e @ _unit(np.asarray(title_embedding, dtype=np.float64))
    lead = [i for i in idx if segments[i] == "lead"] or list(idx[:2])
    total = e[idx].sum(axis=0)
    lead_total = e[lead].sum(axis=0)
    sims = e @ e[idx].T  # (n, real)
    for i in range(n):
        own = real[i]
        rest = total - e[i] if own else total
        out[i, 2] = float(e[i] @ _unit(rest)) if np.linalg.norm(rest) > 0 else 0.0
        lead_rest = lead_total - e[i] if i in lead else lead_total
        out[i, 1] = float(e[i] @ _unit(lead_rest)) if np.linalg.norm(lead_rest) > 0 else 0.0
        earlier = idx < i
        out[i, 3] = 1.0 - float(sims[i, earlier].max()) if earlier.any() else 1.0
    rank_in_real = np.searchsorted(idx, np.arange(n))
    out[:, 4] = np.minimum(rank_in_real, len(idx)) / max(len(idx), 1)
    p = np.clip(np.asarray(checkworthiness, dtype=np.float64), 1e-4, 1 - 1e-4)
    logit = np.log(p / (1 - p))
    best = logit[idx].max()
    out[:, 6] = np.minimum(logit - best, 0.0)
    order = logit[idx].argsort().argsort()  # 0 = worst among real units
    ranks = np.zeros(n)
    ranks[idx] = order / max(len(idx) - 1, 1)
    out[:, 5] = ranks
    quote = np.array(
        [s == "quote" or bool(_QUOTE_MARK.search(t)) for s, t in zip(segments, texts, strict=True)]
    )
    out[:, 7] = quote
    for k, i in enumerate(idx):
        prev = idx[k - 1] if k > 0 else None
        nxt = idx[k + 1] if k + 1 < len(idx) else None
        out[i, 8] = float((prev is not None and quote[prev]) or (nxt is not None and quote[nxt]))
    out[:, 9] = [s == "subhead" for s in segments]
    out[:, 10] = [np.log1p(len(t.split())) for t in texts]
    return out
