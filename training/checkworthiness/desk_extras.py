"""Candidate desk features tried on dev errors (variant (c) in the model card), not shipped.

Each is small and explainable; none moved the cross-validated dev metrics beyond noise, so the
shipped model (claims.nlp.ranking) keeps its ten features. Kept here so the variants reproduce.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from claims.nlp.numbers import find_numbers
from claims.nlp.ranking import BOILERPLATE_SEGMENTS

EXTRA_NAMES = (
    "first_sentence",  # the first lead or body unit (the news lead after headline and dateline)
    "quote_segment",  # a quoted paragraph or pull quote (structure segment "quote")
    "named_source",  # reported speech of a named speaker
    "anonymous_source",  # reported speech of an unnamed source ("unattributed")
    "other_numbers",  # log1p(dates, durations, small counts: numbers "quantities" skips)
    "dateline",  # the first sentence opens with a dateline ("Wien –", "SAN FRANCISCO (AP) —")
    "demand",  # a demand or appeal ("fordert", "calls for"): a position, rarely the claim to check
    "checkworthiness_gap",  # sentence logit minus the article's best (0 = its best sentence)
)
# A place (capitalised words, "de"/"am"-style links), an optional agency in brackets, then a dash;
# only read on the article's first sentence, where a dash after a name is a dateline.
_DATELINE = re.compile(
    r"^[A-ZÄÖÜ][\w.'’-]*(?:\s+(?:[A-ZÄÖÜ][\w.'’-]*|de|del|la|am|an|im|upon|on)){0,3}"
    r"(?:\s*\([A-Za-z./ ]{1,15}\))?\s*[–—-]\s"
)
_DEMAND = re.compile(
    r"\b(?:forder\w*|verlang\w*|appellier\w*|calls? for|called for|calling for"
    r"|demand(?:s|ed|ing)?|urg(?:es|ed|ing))\b",
    re.IGNORECASE,
)
_QUANTITY_KINDS = {"percent", "money"}


def _other_numbers(text: str, lang: str) -> int:
    return sum(
        1
        for m in find_numbers(text, lang)
        if not (
            m.kind in _QUANTITY_KINDS
            or (m.kind == "number" and (m.unit is not None or (m.value or 0) >= 100))
        )
    )


def extra_features(
    texts: Sequence[str],
    *,
    lang: str,
    segments: Sequence[str],
    positions: Sequence[int],
    claimants: Sequence[str | None],
    reported: Sequence[bool],
    checkworthiness_logits: np.ndarray,
) -> np.ndarray:
    n = len(texts)
    out = np.zeros((n, len(EXTRA_NAMES)))
    for i, text in enumerate(texts):
        out[i, 1] = float(segments[i] == "quote")
        if reported[i]:
            out[i, 2] = float(claimants[i] not in (None, "unattributed"))
            out[i, 3] = float(claimants[i] == "unattributed")
        out[i, 4] = math.log1p(_other_numbers(text, lang))
        out[i, 6] = float(bool(_DEMAND.search(text)))
    body = [
        i for i in sorted(range(n), key=lambda i: positions[i]) if segments[i] in ("lead", "body")
    ]
    if body:
        out[body[0], 0] = 1.0
        out[body[0], 5] = float(bool(_DATELINE.match(texts[body[0]])))
    real = [i for i in range(n) if segments[i] not in BOILERPLATE_SEGMENTS] or list(range(n))
    if n:
        out[:, 7] = np.minimum(checkworthiness_logits - checkworthiness_logits[real].max(), 0.0)
    return out
