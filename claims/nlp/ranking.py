"""Desk ranking: order an article's claim candidates as a fact-checking desk would.

The sentence-level check-worthiness score (claims.nlp.checkworthiness) reads a sentence alone.
A desk also looks at what kind of statement it is and where it stands in the article:

- what fact-checkers picked in news: a logistic regression over the same embeddings, trained on
  annotated German and English news articles (the sentence-level model learnt from debates and
  Facebook comments);
- subjectivity: opinions, speculation, rhetoric, predictions and pledges go down (a logistic
  regression over the multilingual USE embeddings, trained on CheckThat! 2025 news sentences);
- specificity: quantities with a unit, money and percentages, and names go up; bare dates and
  durations do not count;
- place: the lead and the headline go up, as do sentences that share the headline's content words;
  sentences far down the article (background) go down;
- form: questions and very short fragments go down; boilerplate segments (byline, credit, teaser,
  call to action, notice, navigation) are pushed to the bottom.

The score is ``sigmoid(a_lang * (w . features + b) + c_lang)``: one linear desk model for both
languages (weights fitted by logistic regression on annotated articles, see
training/checkworthiness/train_desk.py), then per-language Platt scaling so that a score means
"probability that a fact-checker keeps this sentence" in German and English alike. One common
threshold (``DESK_THRESHOLD``) turns it into a check-worthy decision. Every feature is a named
column, so a score can be explained (``desk_features``).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claims.nlp.numbers import find_numbers

MODEL_FILE = Path(__file__).resolve().parent / "models" / "checkworthiness" / "desk.npz"

FEATURE_NAMES = (
    "checkworthiness",  # logit of the sentence-level score
    "subjectivity",  # logit of P(subjective)
    "news_head",  # logit of a head over the embeddings, trained on fact-checkers' news picks
    "quantities",  # log1p(number of quantities, money, percentages)
    "names",  # log1p(number of name-like capitalised words)
    "lead",  # in the lead (segment, or first two sentences when no segments are given)
    "headline",  # is the headline, or shares its content words (share of them, 0..1)
    "position",  # log1p(sentence position): background sits further down
    "question",
    "short",  # fewer than 6 words
)
BOILERPLATE_SEGMENTS = frozenset(
    {"byline", "credit", "teaser", "cta", "notice", "navigation", "caption", "noise"}
)
# Added to the logit of boilerplate segments: they stay in the list (as context) but never rank
# above a real sentence.
_BOILERPLATE_PENALTY = -8.0

_WORD = re.compile(r"\w+", re.UNICODE)

# A demand or request ("Pjöngjang fordert eine Aufhebung der Sanktionen", "X calls for ...") is
# not a checkable statement: that someone demands something is true or false only as reporting,
# and what is demanded has not happened. Added to the raw logit (before calibration).
_DEMAND_PENALTY = -1.0
_DEMAND = {
    "de": re.compile(
        r"\b(?:fordert|fordern|forderte|forderten|gefordert|verlangt|verlangen|verlangte|"
        r"verlangten|ruft|rufen|rief|riefen)\b(?:(?!\b(?:weil|da|nachdem)\b).){0,80}?"
        r"\b(?:auf|zu|eine?n?|die|den|das|dass|nach)\b|"
        r"\b(?:appelliert|appellierte|appellieren|drängt|drängte|drängen|mahnt|mahnte|mahnen)\b|"
        r"\b(?:Forderung|Forderungen|Appell|Aufruf)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?:calls?|called|calling) (?:for|on)\b|\b(?:demands|demanded|demanding|urges?|urged|"
        r"urging|appealed) (?:that|for|to|the|a|an|\w+ to)\b|\b(?:they|we|I) demand\b",
        re.IGNORECASE,
    ),
}


# A factive attitude frame ("Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr
# keine Atomwaffen mehr getestet habe", "X welcomed that ...", "X is proud that ..."): the speaker
# presupposes the complement, and the complement is what a desk checks; the attitude is not
# checkable. Such units are read through their standalone text, where the frame is gone.
_ATTITUDE = {
    "de": re.compile(
        r"\b(?:wisse|weiß|wusste|wüsste)n? es zu schätzen\b|"
        r"\b(?:begrüßt|begrüßte|begrüße|bedauert|bedauerte|bedauere|lobt|lobte|lobe|"
        r"kritisiert|kritisierte|kritisiere)\b[^.;]{0,40}?,? dass\b|"
        r"\bfreu(?:t|te|e)n? sich\b[^.;]{0,30}?,? (?:dass|darüber)\b|"
        r"\b(?:ist|sei|war|zeigte sich|zeigt sich) (?:\w+ )?(?:froh|stolz|erfreut|besorgt|"
        r"enttäuscht|dankbar)\b[^.;]{0,30}?,? dass\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(?:appreciates?|appreciated|welcomes?|welcomed|regrets?|regretted|praised?|praises)"
        r" (?:the fact )?that\b|"
        r"\b(?:is|was|are|were) (?:\w+ )?(?:glad|proud|pleased|happy|grateful|thankful|"
        r"disappointed|concerned) (?:that)\b",
        re.IGNORECASE,
    ),
}


def attitude_frame(text: str, lang: str) -> bool:
    """The unit wraps a claim in a factive attitude ("appreciates that", "wisse es zu schätzen")."""
    pattern = _ATTITUDE.get(lang)
    return bool(pattern and pattern.search(text))


def is_demand(text: str, lang: str) -> bool:
    """The unit reports a demand, request or appeal rather than a state of affairs."""
    pattern = _DEMAND.get(lang)
    return bool(pattern and pattern.search(text))


def _words(text: str) -> frozenset[str]:
    """A word list written as text (one string reads better than a column of words)."""
    return frozenset(text.split())


_QUANTITY_KINDS = {"percent", "money"}
# German capitalises every noun: a capitalised word only looks like a name when no article or
# preposition-with-article stands before it and it lacks a common-noun suffix.
_DE_DETERMINERS = _words(
    "der die das den dem des ein eine einen einem einer eines kein keine keinen "
    "keinem keiner im am zum zur vom beim ins ans dieser diese dieses diesen diesem "
    "jeder jede jedes seine seiner seinen ihre ihrer ihren unser unsere mehr viele "
    "wenige alle"
)
_DE_NOUN_SUFFIX = re.compile(
    r"(ung|ungen|heit|keit|schaft|tion|tionen|tät|ismus|nis|ment|ern|en|er|e)$"
)
_STOP = {
    "de": _words(
        "der die das den dem des ein eine und oder aber nicht mit von für auf aus bei "
        "nach über unter vor wie was wer ist sind war wird werden hat haben sich auch "
        "noch nur so im am zum zur vom beim dass als wenn sie er es wir ihr ihre sein "
        "seine"
    ),
    "en": _words(
        "the a an and or but not with of for on in at to from by after over under before "
        "how what who is are was were will be has have had it its this that these those "
        "as if they he she we his her their our new says said"
    ),
}


def _name_count(words: list[str], lang: str) -> int:
    count = 0
    for k in range(1, len(words)):
        w = words[k]
        if not w[:1].isupper() or (w.isupper() and len(w) < 2):
            continue
        if lang == "de":
            prev = words[k - 1].lower()
            if prev in _DE_DETERMINERS or _DE_NOUN_SUFFIX.search(w.lower()):
                continue
        count += 1
    return count


def _content_words(text: str, lang: str) -> set[str]:
    stop = _STOP.get(lang, _STOP["en"])
    return {w for w in (m.lower() for m in _WORD.findall(text)) if len(w) > 2 and w not in stop}


def _quantities(text: str, lang: str) -> int:
    n = 0
    for m in find_numbers(text, lang):
        if m.kind in _QUANTITY_KINDS or (
            m.kind == "number" and (m.unit is not None or (m.value or 0) >= 100)
        ):
            n += 1
    return n


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def desk_features(
    texts: Sequence[str],
    *,
    lang: str,
    embeddings: np.ndarray | None = None,
    segments: Sequence[str] | None = None,
    positions: Sequence[int] | None = None,
    title: str | None = None,
    checkworthiness: Sequence[float] | None = None,
    subjectivity: Sequence[float] | None = None,
    news_head: Sequence[float] | None = None,
) -> np.ndarray:
    """The desk model's inputs, shape (n, len(FEATURE_NAMES)), float64, in FEATURE_NAMES order.

    ``checkworthiness`` (scores), ``subjectivity`` and ``news_head`` (logits) are computed from
    the embeddings when not given (training passes its cross-validated values).
    """
    texts = list(texts)
    n = len(texts)
    if embeddings is None and n and None in (checkworthiness, subjectivity, news_head):
        from claims.nlp.embeddings import embed

        embeddings = embed(texts)
    if checkworthiness is None:
        from claims.nlp.checkworthiness import checkworthiness_scores

        checkworthiness = checkworthiness_scores(texts, lang=lang, embeddings=embeddings)
    positions = list(positions) if positions is not None else list(range(n))
    title_words = _content_words(title or "", lang)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float64)
    if not n:
        return out
    out[:, 0] = _logit(np.asarray(checkworthiness, dtype=np.float64))
    if subjectivity is None:
        subjectivity = desk_model().subjectivity_logits(np.asarray(embeddings))
    out[:, 1] = np.asarray(subjectivity, dtype=np.float64)
    if news_head is None:
        news_head = desk_model().news_logits(np.asarray(embeddings))
    out[:, 2] = np.asarray(news_head, dtype=np.float64)
    for i, text in enumerate(texts):
        words = text.split()
        segment = segments[i] if segments is not None else None
        out[i, 3] = math.log1p(_quantities(text, lang))
        out[i, 4] = math.log1p(_name_count(words, lang))
        if segments is not None:
            out[i, 5] = float(segment == "lead")
        else:
            out[i, 5] = float(positions[i] <= 1)
        if segment == "headline":
            out[i, 6] = 1.0
        elif title_words:
            out[i, 6] = len(title_words & _content_words(text, lang)) / len(title_words)
        out[i, 7] = math.log1p(max(positions[i], 0))
        out[i, 8] = float(text.rstrip().rstrip("\"'”“«»").endswith("?"))
        out[i, 9] = float(len(words) < 6)
    return out


class DeskModel:
    """The desk weights, the subjectivity head and the per-language calibration (one npz file)."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            if tuple(header["features"]) != FEATURE_NAMES:
                raise ValueError(f"{path}: features {header['features']} != {FEATURE_NAMES}")
            self.mean = data["mean"].astype(np.float64)
            self.scale = data["scale"].astype(np.float64)
            self.coef = data["coef"].astype(np.float64)
            self.bias = float(data["bias"])
            self.subj_coef = data["subj_coef"].astype(np.float32)
            self.subj_bias = float(data["subj_bias"])
            self.news_coef = data["news_coef"].astype(np.float32)
            self.news_bias = float(data["news_bias"])
        self.platt = {lang: tuple(v) for lang, v in header["platt"].items()}
        self.threshold = float(header["threshold"])

    def subjectivity_logits(self, embeddings: np.ndarray) -> np.ndarray:
        return (embeddings.astype(np.float32) @ self.subj_coef + self.subj_bias).astype(np.float64)

    def news_logits(self, embeddings: np.ndarray) -> np.ndarray:
        return (embeddings.astype(np.float32) @ self.news_coef + self.news_bias).astype(np.float64)

    def raw_logits(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.coef + self.bias

    def calibrate(self, logits: np.ndarray, lang: str) -> np.ndarray:
        a, c = self.platt[lang]
        return 1.0 / (1.0 + np.exp(-(a * logits + c)))


@functools.cache
def desk_model() -> DeskModel:
    """The shipped desk model, loaded once per process on first use."""
    return DeskModel(MODEL_FILE)


def desk_scores(
    texts: Sequence[str],
    *,
    lang: str,
    embeddings: np.ndarray | None = None,
    segments: Sequence[str] | None = None,
    positions: Sequence[int] | None = None,
    title: str | None = None,
    checkworthiness: Sequence[float] | None = None,
    standalones: Sequence[str] | None = None,
) -> list[float]:
    """P(a fact-checker keeps the sentence) for each of an article's candidates, in input order.

    ``texts`` are the article's sentences in order (or its candidates, with ``positions`` giving
    each one's sentence index in the article). ``segments`` are the structure labels (headline,
    lead, body, byline, ...); without them the first two sentences count as the lead. ``title`` is
    the article's headline. Pass ``embeddings`` and ``checkworthiness`` when already computed.
    Scores are calibrated per language, so German and English scores can share one queue and one
    threshold (``DESK_THRESHOLD``). ``standalones`` (each unit's standalone text) let a unit
    that wraps its claim in a factive attitude be read through the claim itself.
    """
    features = desk_features(
        texts,
        lang=lang,
        embeddings=embeddings,
        segments=segments,
        positions=positions,
        title=title,
        checkworthiness=checkworthiness,
    )
    if not len(features):
        return []
    texts = list(texts)
    if standalones is not None:
        _read_framed_claims(features, texts, list(standalones), lang, title)
    model = desk_model()
    logits = model.raw_logits(features)
    if segments is not None:
        logits = logits + np.array(
            [_BOILERPLATE_PENALTY if s in BOILERPLATE_SEGMENTS else 0.0 for s in segments]
        )
    logits = logits + np.array([_DEMAND_PENALTY if is_demand(t, lang) else 0.0 for t in texts])
    return [float(v) for v in model.calibrate(logits, lang)]


def _read_framed_claims(
    features: np.ndarray, texts: list[str], standalones: list[str], lang: str, title: str | None
) -> None:
    """The sentence-level features (check-worthiness, subjectivity, news head) of units with a
    factive attitude frame, computed over their standalone text instead (in place)."""
    rows = [
        i
        for i, (text, alone) in enumerate(zip(texts, standalones, strict=True))
        if alone and alone != text and attitude_frame(text, lang)
    ]
    if not rows:
        return
    alone = desk_features([standalones[i] for i in rows], lang=lang, title=title)
    for k, i in enumerate(rows):
        features[i, :3] = alone[k, :3]


def desk_threshold() -> float:
    """The one calibrated score (both languages) at or above which a candidate is check-worthy."""
    return desk_model().threshold


def explain(features: np.ndarray) -> list[dict[str, float]]:
    """Each feature's contribution to each sentence's (uncalibrated) logit, for reviewers."""
    model = desk_model()
    parts = (features - model.mean) / model.scale * model.coef
    return [dict(zip(FEATURE_NAMES, map(float, row), strict=True)) for row in parts]
