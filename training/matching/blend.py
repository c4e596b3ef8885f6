"""Fitting the blends and judging them: the listwise fit, its calibration, dev metrics through the
index's own ranking, and the thresholds' top-1 pairs (used by train.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from claims.nlp.matching.config import SIGNALS, MatchConfig
from claims.nlp.matching.index import ClaimIndex
from claims.nlp.matching.signals import QueryCandidates, with_rank_signals

from .datasets import metrics

L2_GRID = (1e-5, 1e-4, 1e-3)


def evaluate(qids, cands, qrels, index: ClaimIndex, score_fn) -> dict[str, float]:
    """Dev metrics; `score_fn(signals, english=...)` scores one query's candidate rows."""
    rankings = {
        q: [c.ids[i] for i, _ in index.rank(c, score_fn(c.signals, english=c.english))]
        for q, c in zip(qids, cands, strict=True)
    }
    return metrics(rankings, qrels)


def fit_blend(feats, datasets, columns: np.ndarray, *, use_english: bool, base: MatchConfig):
    """Listwise weights on the train splits of `datasets` (only `columns` used), L2 strength
    chosen by mean dev MAP@5 over those datasets, calibrated to probabilities (Platt).

    Returns ((weights, bias), l2, dev metrics per dataset).
    """
    mask = columns.astype(np.float64)
    xs, ys, ws, groups = [], [], [], []
    for n in datasets:
        qids, cands, qrels, _ = feats[(n, "train")]
        masked = [QueryCandidates(c.ids, c.signals * mask, c.english) for c in cands]
        x, y = xy(qids, masked, qrels)
        xs.append(x)
        ys.append(y)
        # Each dataset weighs the same (the German set is small).
        ws.append(np.full(len(y), 1.0 / len(y)))
        groups.append([(q, c, qrels) for q, c in zip(qids, masked, strict=True)])
    x_train, y_train = np.vstack(xs), np.concatenate(ys)
    w_train = np.concatenate(ws) * len(y_train) / len(ws)
    best = None
    for lam in L2_GRID:
        direction = fit_listwise(groups, lam) * mask
        # Calibrate: a 1-d logistic regression on the listwise score turns it into a probability
        # (pointwise, on the train pairs) without changing any ranking.
        raw = x_train @ direction
        platt = LogisticRegression(C=100.0).fit(raw[:, None], y_train, sample_weight=w_train)
        slope, intercept = float(platt.coef_[0][0]), float(platt.intercept_[0])
        weights = {s: slope * float(w) for s, w in zip(SIGNALS, direction, strict=True) if w}
        if use_english:
            cfg = replace(base, english_weights=weights, english_bias=intercept)
        else:
            cfg = replace(base, weights=weights, bias=intercept, english_weights=None)
        score = ClaimIndex(config=cfg).score
        dev = {n: evaluate(*feats[(n, "dev")], score) for n in datasets}
        mean_map = float(np.mean([d["MAP@5"] for d in dev.values()]))
        label = "English" if use_english else "multilingual"
        print(
            f"{label} l2={lam}: " + ", ".join(f"{n} {d['MAP@5']:.4f}" for n, d in dev.items()),
            flush=True,
        )
        if best is None or mean_map > best[0]:
            best = (mean_map, ((weights, intercept), lam, dev))
    return best[1]


def xy(qids, cands, qrels, index=None):
    xs, ys = [], []
    for q, c in zip(qids, cands, strict=True):
        xs.append(c.signals)
        ys.append(np.array([doc in qrels.get(q, ()) for doc in c.ids], dtype=np.int8))
    return np.vstack(xs), np.concatenate(ys)


def top1(qids, cands, qrels, index, score_fn):
    """(top-1 score, right?) per query, then again with the query's right claims taken out.

    Every dev query has a match, but most claims a newsroom ingests have none: the second pass
    (leave the right claims out, recompute the rank signals) stands for those, so thresholds are
    chosen on a 50/50 mix of claims with and without a match in the collection.
    """
    out = []
    for q, c in zip(qids, cands, strict=True):
        ranked = index.rank(c, score_fn(c.signals, english=c.english))
        if ranked:
            best, score = ranked[0]
            out.append((score, c.ids[best] in qrels.get(q, ())))
        # Take out the right claims and their near-verbatim copies (the same claim twice).
        golds = [index.embedding(d) for d in qrels.get(q, ()) if d in index]
        keep = [
            i
            for i, doc in enumerate(c.ids)
            if doc not in qrels.get(q, ())
            and not any(float(index.embedding(doc) @ g) >= 0.95 for g in golds)
        ]
        if keep:
            rest = QueryCandidates(
                tuple(c.ids[i] for i in keep),
                with_rank_signals(c.signals[keep].copy()),
                c.english,
            )
            best, score = index.rank(rest, score_fn(rest.signals, english=rest.english))[0]
            out.append((score, False))
    return out


def fit_listwise(groups_per_dataset, l2: float) -> np.ndarray:
    """Weights maximising the softmax probability of the right claims among each query's candidates.

    A conditional-logit (listwise) objective: it learns how to rank candidates of one query against
    each other, which is what MAP measures; a pointwise logistic regression on the pooled pairs
    ranked clearly worse on dev (see the model card). Each dataset weighs the same.
    """
    data = []
    for groups in groups_per_dataset:
        prepared = []
        for q, cands, qrels in groups:
            y = np.array([d in qrels.get(q, ()) for d in cands.ids], dtype=bool)
            if y.any():
                prepared.append((cands.signals.astype(np.float64), y))
        data.append(prepared)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(w)
        for prepared in data:
            part, part_grad = 0.0, np.zeros_like(w)
            for x, y in prepared:
                s = x @ w
                p = np.exp(s - s.max())
                p /= p.sum()
                right = p[y].sum()
                part -= np.log(right + 1e-12)
                part_grad += x.T @ (p - np.where(y, p, 0.0) / right)
            total += part / len(prepared)
            grad += part_grad / len(prepared)
        return total + l2 * float(w @ w), grad + 2 * l2 * w

    return minimize(loss, np.zeros(len(SIGNALS)), jac=True, method="L-BFGS-B").x


def threshold_for(pairs: list[tuple[float, bool]], precision: float) -> float:
    """Lowest threshold, on the 0.001 grid it is stored with, whose top-1 matches at or above it
    are right at least `precision` often (rounding a score to the grid could let in a few more)."""
    scores = np.array([s for s, _ in pairs])
    right = np.array([ok for _, ok in pairs], dtype=float)
    for threshold in np.round(np.arange(0.0, 1.0005, 0.001), 3):
        above = scores >= threshold
        if above.any() and right[above].mean() >= precision:
            return float(threshold)
    return 1.0
