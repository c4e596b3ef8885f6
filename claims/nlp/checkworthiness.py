"""Check-worthiness: how much a sentence is worth fact-checking, as a score from 0 to 1.

The model is a small per-language ensemble stored as plain numpy arrays
(`models/checkworthiness/model.npz`, no pickles, no scikit-learn at run time). Its components:

- a head over multilingual USE embeddings (claims.nlp.embeddings): an MLP for English; for German a
  logistic regression on German data plus one on English data, which carries English training
  data over to German;
- a logistic regression over word TF-IDF n-grams (vocabulary and idf stored in the npz);
- for English, a logistic regression over cheap linguistic features (numbers, comparisons...).

Each component gives a logit; the score is sigmoid(sum_k weight_k * logit_k + bias). The weights
come from stacking on training data and the decision threshold per language from dev data; see
docs/model-card-checkworthiness.md and training/checkworthiness/train.py, which writes the file
this module reads.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models" / "checkworthiness"
MODEL_FILE = MODEL_DIR / "model.npz"
LANGUAGES = ("de", "en")

# sklearn's default token pattern, so TF-IDF features match the vectorizer used in training.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # noqa: S105 (a regex, not a secret)
_TOKEN = re.compile(TOKEN_PATTERN)

# --- linguistic features -----------------------------------------------------------------------
# Cheap surface cues that the annotation guidelines of ClaimBuster, CheckThat! and GermEval name:
# numbers and quantities, comparisons and trends, statements about the world vs. opinions and
# questions. Regexes rather than a parser: this runs on every sentence and must cost next to
# nothing.
_NUMBER = re.compile(r"\d")
_PERCENT = re.compile(r"%|\bpercent\b|\bprozent\b|\bper cent\b", re.I)
_MONEY = re.compile(r"[$€£]|\b(dollars?|euros?|million|billion|millionen|milliarden)\b", re.I)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NUMBER_WORDS = {
    "en": r"\b(one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|"
    r"half|third|quarter|twice|double|triple|dozens?)\b",
    "de": r"\b(eins?|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|hundert|tausend|millionen?|"
    r"milliarden?|hälfte|drittel|viertel|doppelt|dreimal|dutzende?)\b",
}
_COMPARISON = {
    "en": r"\b(more|less|fewer|most|least|than|higher|lower|increased?|decreased?|rose|fell|"
    r"doubled|tripled|grew|growth|largest|biggest|highest|lowest|record|since|ever|cut|raised?)\b",
    "de": r"\b(mehr|weniger|meisten|als|höher|niedriger|gestiegen|gesunken|steigt|sinkt|"
    r"verdoppelt|wachstum|größte|höchste|niedrigste|rekord|seit|jemals|gekürzt|erhöht)\b",
}
_FIRST_PERSON = {
    "en": r"\b(i|i'm|i've|me|my|we|we're|our|us)\b",
    "de": r"\b(ich|mich|mir|mein|meine|wir|uns|unser|unsere)\b",
}
_SECOND_PERSON = {
    "en": r"\b(you|your|you're)\b",
    "de": r"\b(du|dich|dir|dein|deine|ihr|euch|euer|sie\b(?=\s+(haben|sind|können|müssen)))\b",
}
_OPINION = {
    "en": r"\b(think|believe|feel|hope|want|wish|should|must|great|wonderful|terrible|thank|"
    r"thanks|love|going to)\b",
    "de": r"\b(denke|glaube|finde|meine|hoffe|will|wünsche|sollte|sollten|muss|müssen|toll|"
    r"super|schlimm|danke|liebe|lol|haha)\b",
}
_LAW = {
    "en": r"\b(law|laws|bill|illegal|legal|tax|taxes|constitution|court|voted|vote)\b",
    "de": r"\b(gesetz|gesetze|illegal|legal|steuer|steuern|grundgesetz|gericht|verboten|"
    r"abgestimmt|studie|studien|statistik|laut|zufolge)\b",
}
_REPORTED = {
    "en": r"\b(said|says|according to|reported|told|study|studies|data|statistics)\b",
    "de": r"\b(sagte|sagt|erklärte|betonte|berichtet|habe|hätte|sei|seien|wurde|wurden)\b",
}


def _compile(table: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {lang: re.compile(pattern, re.I) for lang, pattern in table.items()}


_LEXICONS = [
    _compile(t)
    for t in (_NUMBER_WORDS, _COMPARISON, _FIRST_PERSON, _SECOND_PERSON, _OPINION, _LAW, _REPORTED)
]
FEATURE_NAMES = (
    "has_digit",
    "percent",
    "money",
    "year",
    "number_word",
    "comparison",
    "first_person",
    "second_person",
    "opinion",
    "law_or_source",
    "reported",
    "question",
    "exclamation",
    "log_words",
    "capitalised_inside",
    "short",
)


def linguistic_features(texts: Sequence[str], lang: str) -> np.ndarray:
    """Surface features of each text, shape (n, len(FEATURE_NAMES)), float32."""
    out = np.zeros((len(texts), len(FEATURE_NAMES)), dtype=np.float32)
    for i, text in enumerate(texts):
        words = text.split()
        n_words = len(words)
        # Capitalised words after the first word: names and places in English; in German every noun
        # is capitalised, so the count is weaker there but still tracks content-heavy sentences.
        capitalised = sum(1 for w in words[1:] if w[:1].isupper())
        row = [
            bool(_NUMBER.search(text)),
            bool(_PERCENT.search(text)),
            bool(_MONEY.search(text)),
            bool(_YEAR.search(text)),
            *(min(len(lex[lang].findall(text)), 3) / 3 for lex in _LEXICONS),
            "?" in text,
            "!" in text,
            math.log1p(n_words) / 4,
            min(capitalised, 6) / 6,
            n_words < 6,
        ]
        out[i] = row
    return out


# --- TF-IDF --------------------------------------------------------------------------------------
_WHITE_SPACES = re.compile(r"\s\s+")


def _word_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    grams: list[str] = []
    for n in range(ngram_min, ngram_max + 1):
        if n == 1:
            grams.extend(tokens)
        else:
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_wb_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    # sklearn's analyzer="char_wb": n-grams inside words padded with one space on each side.
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        w = f" {word} "
        for n in range(ngram_min, ngram_max + 1):
            if len(w) <= n:
                grams.append(w)  # a short word counts once, as in sklearn
                break
            grams.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


_ANALYZERS = {"word": _word_ngrams, "char_wb": _char_wb_ngrams}


@dataclass(frozen=True)
class _Tfidf:
    vocabulary: dict[str, int]
    idf: np.ndarray
    analyzer: str
    ngram_min: int
    ngram_max: int
    sublinear_tf: bool

    def logits(self, texts: Sequence[str], coef: np.ndarray) -> np.ndarray:
        """Dot product of each text's l2-normalised TF-IDF vector with `coef`.

        Same arithmetic as sklearn's TfidfVectorizer(lowercase, analyzer, ngram_range, sublinear_tf,
        norm="l2") followed by a linear model, without building a sparse matrix.
        """
        analyze = _ANALYZERS[self.analyzer]
        vocabulary = self.vocabulary
        out = np.zeros(len(texts), dtype=np.float64)
        for i, text in enumerate(texts):
            grams = analyze(text, self.ngram_min, self.ngram_max)
            counts = Counter(idx for g in grams if (idx := vocabulary.get(g)) is not None)
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if self.sublinear_tf:
                tf = 1.0 + np.log(tf)
            weights = tf * self.idf[idx]
            out[i] = float(weights @ coef[idx]) / float(np.linalg.norm(weights))
        return out


# --- the model ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Component:
    name: str
    kind: str  # "emb", "emb_mlp" (over embeddings), "tfidf" or "feat" (linguistic features)
    coef: np.ndarray
    bias: float
    tfidf: _Tfidf | None = None
    hidden_weights: np.ndarray | None = None  # emb_mlp: one ReLU layer before the output
    hidden_bias: np.ndarray | None = None


@dataclass(frozen=True)
class _LanguageModel:
    components: tuple[_Component, ...]
    mix: np.ndarray  # weight of each component's logit
    mix_bias: float
    threshold: float


class CheckworthinessModel:
    """A trained model file: per language, its components, their mix and the threshold."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        self.path = path
        self.meta: dict = json.loads(str(arrays["meta"]))
        self.languages: dict[str, _LanguageModel] = {}
        for lang, m in self.meta["languages"].items():
            components = []
            for c in m["components"]:
                key = f"{lang}_{c['name']}"
                tfidf = None
                if c["kind"] == "tfidf":
                    terms = str(arrays[f"{key}_terms"]).split("\n")
                    tfidf = _Tfidf(
                        vocabulary={t: i for i, t in enumerate(terms)},
                        idf=arrays[f"{key}_idf"].astype(np.float64),
                        analyzer=c.get("analyzer", "word"),
                        ngram_min=int(c.get("ngram_min", 1)),
                        ngram_max=int(c["ngram_max"]),
                        sublinear_tf=bool(c["sublinear_tf"]),
                    )
                hidden_w = arrays.get(f"{key}_w1")
                hidden_b = arrays.get(f"{key}_b1")
                components.append(
                    _Component(
                        name=c["name"],
                        kind=c["kind"],
                        coef=arrays[f"{key}_coef"].astype(np.float64),
                        bias=float(c["bias"]),
                        tfidf=tfidf,
                        hidden_weights=None if hidden_w is None else hidden_w.astype(np.float32),
                        hidden_bias=None if hidden_b is None else hidden_b.astype(np.float32),
                    )
                )
            self.languages[lang] = _LanguageModel(
                components=tuple(components),
                mix=np.asarray(m["mix"], dtype=np.float64),
                mix_bias=float(m["mix_bias"]),
                threshold=float(m["threshold"]),
            )

    def _language(self, lang: str) -> _LanguageModel:
        if lang not in self.languages:
            raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
        return self.languages[lang]

    def component_logits(
        self, texts: Sequence[str], *, lang: str, embeddings: np.ndarray | None = None
    ) -> np.ndarray:
        """Logit of each ensemble component for each text, shape (n, components)."""
        model = self._language(lang)
        out = np.zeros((len(texts), len(model.components)), dtype=np.float64)
        if not texts:
            return out
        features = None
        for j, comp in enumerate(model.components):
            if comp.kind in ("emb", "emb_mlp"):
                if embeddings is None:
                    from claims.nlp.embeddings import embed

                    embeddings = embed(texts)
                x = embeddings
                if comp.kind == "emb_mlp":
                    assert comp.hidden_weights is not None and comp.hidden_bias is not None
                    x = np.maximum(embeddings @ comp.hidden_weights + comp.hidden_bias, 0.0)
                out[:, j] = x.astype(np.float64) @ comp.coef + comp.bias
            elif comp.kind == "tfidf":
                assert comp.tfidf is not None
                out[:, j] = comp.tfidf.logits(texts, comp.coef) + comp.bias
            elif comp.kind == "feat":
                if features is None:
                    features = linguistic_features(texts, lang).astype(np.float64)
                out[:, j] = features @ comp.coef + comp.bias
            else:
                raise ValueError(f"unknown component kind {comp.kind!r} in {self.path}")
        return out

    def scores(
        self, texts: Sequence[str], *, lang: str, embeddings: np.ndarray | None = None
    ) -> list[float]:
        texts = list(texts)
        if not texts:
            return []
        if embeddings is not None and len(embeddings) != len(texts):
            raise ValueError("embeddings must have one row per text")
        model = self._language(lang)
        logits = self.component_logits(texts, lang=lang, embeddings=embeddings) @ model.mix
        logits += model.mix_bias
        return [float(v) for v in 1.0 / (1.0 + np.exp(-logits))]

    def threshold(self, lang: str) -> float:
        return self._language(lang).threshold


@functools.cache
def checkworthiness_model() -> CheckworthinessModel:
    """The shipped model, loaded once per process on first use (never at import time)."""
    return CheckworthinessModel(MODEL_FILE)


def checkworthiness_scores(
    texts: Sequence[str], *, lang: str, embeddings: np.ndarray | None = None
) -> list[float]:
    """Check-worthiness of each text, from 0 to 1, in input order.

    `lang` is "de" or "en". Pass `embeddings` (from claims.nlp.embeddings.embed, same order) when
    the caller already has them, e.g. for claim matching, so the encoder runs once per sentence.
    """
    return checkworthiness_model().scores(texts, lang=lang, embeddings=embeddings)


def checkworthiness_threshold(lang: str) -> float:
    """Score at or above which a sentence counts as check-worthy (chosen on dev data)."""
    return checkworthiness_model().threshold(lang)
