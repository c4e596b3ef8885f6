"""Metrics of the shared tasks, written out so their definitions are explicit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def f1_positive(labels: Sequence[int], predictions: Sequence[int]) -> float:
    """F1 of the positive class (CheckThat! 2022-2024)."""
    tp = sum(1 for y, p in zip(labels, predictions, strict=True) if y == 1 and p == 1)
    fp = sum(1 for y, p in zip(labels, predictions, strict=True) if y == 0 and p == 1)
    fn = sum(1 for y, p in zip(labels, predictions, strict=True) if y == 1 and p == 0)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """AP of one ranked document (ties broken by original line order, as a stable sort does)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i] == 1:
            hits += 1
            total += hits / rank
    positives = sum(labels)
    return total / positives if positives else 0.0


def mean_average_precision(
    labels: Sequence[int], scores: Sequence[float], groups: Sequence[str]
) -> float:
    """MAP over documents (CheckThat! 2019 task 1): rank each document's lines, average the APs."""
    by_doc: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for y, s, g in zip(labels, scores, groups, strict=True):
        by_doc[g][0].append(y)
        by_doc[g][1].append(s)
    aps = [average_precision(ys, ss) for ys, ss in by_doc.values() if sum(ys)]
    return sum(aps) / len(aps) if aps else 0.0


def germeval_official(labels: Sequence[int], predictions: Sequence[int]) -> float:
    """GermEval 2021 score: harmonic mean of macro-precision and macro-recall, times 100."""
    precisions, recalls = [], []
    for cls in (0, 1):
        tp = sum(1 for y, p in zip(labels, predictions, strict=True) if y == cls and p == cls)
        predicted = sum(1 for p in predictions if p == cls)
        actual = sum(1 for y in labels if y == cls)
        precisions.append(tp / predicted if predicted else 0.0)
        recalls.append(tp / actual if actual else 0.0)
    macro_p = sum(precisions) / 2
    macro_r = sum(recalls) / 2
    return 100 * 2 * macro_p * macro_r / (macro_p + macro_r) if macro_p + macro_r else 0.0
