"""A learned reading of reported speech: is a sentence someone's account, and which mention in it
is the source. Two linear models over hashed features per language, trained on public
attribution corpora (German SpkAtt 2023 Wikinews + Bundestag, English PolNeAR) by
``training/attribution/train.py``; weights in ``models/attribution/<lang>.npz`` (numpy only,
no pickles, nothing fetched at run time). See docs/model-card-attribution.md.

Why linear models over hand-made features, not a tagger: they cost microseconds per sentence
on the tags and entities the pipeline already has (the benchmark's words/s hardly move), and
the errors they address are about *which* sentences are accounts and *which* mention speaks,
decisions a few contextual cues (a reporting word, a preposition such as "laut" or "according
to", a comma, quotation marks, the mention's kind and position) carry.

- :func:`sentence_features` / ``detector``: P(the sentence carries reported speech);
- :func:`candidates` and :func:`candidate_features` / ``ranker``: P(this mention is the source
  of the sentence's speech event). Candidates are entities (not dates or numbers), personal
  pronouns and noun runs ("die Leipziger Richter", "the company").

Both read only token text, fine tags, coarse POS, morphology and entity labels, so the same
features are computed on the training corpora (re-tagged by our pipelines) and at run time.
"""

from __future__ import annotations

import functools
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from claims.nlp.lexicon import QUOTE_CHARS
from claims.nlp.people import DocState
from claims.nlp.speaker_names import speaker_from_tokens

MODEL_DIR = Path(__file__).resolve().parent / "models" / "attribution"
DIM = 1 << 18
_SKIP_ENTS = frozenset(
    [
        "DATE",
        "TIME",
        "CARDINAL",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "ORDINAL",
        "WORK_OF_ART",
        "LAW",
        "EVENT",
        "PRODUCT",
    ]
)
_PRONOUNS = {
    "de": frozenset(["er", "sie", "es", "wir", "ich", "ihr", "man"]),
    "en": frozenset(["he", "she", "they", "we", "i", "it"]),
}
_NOMINAL = frozenset({"NOUN", "PROPN"})
_MODIFIER = frozenset({"ADJ", "DET", "NUM"})


def _h(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (DIM - 1)


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-6" if n < 7 else "7-12" if n < 13 else "13+"


@dataclass(frozen=True)
class Candidate:
    start: int  # doc token offsets
    end: int
    kind: str  # entity label, "PRON" or "NP"


def candidates(sent: Span, lang: str) -> list[Candidate]:
    """Entities, personal pronouns and noun runs of ``sent`` (no overlaps), in order."""
    doc = sent.doc
    taken = [False] * len(sent)
    out: list[Candidate] = []
    for ent in sent.ents:
        for i in range(ent.start, ent.end):  # a date or number is no noun run either
            taken[i - sent.start] = True
        if ent.label_ not in _SKIP_ENTS:
            out.append(Candidate(ent.start, ent.end, ent.label_))
    pronouns = _PRONOUNS[lang]
    i = sent.start
    while i < sent.end:
        if taken[i - sent.start]:
            i += 1
            continue
        tok = doc[i]
        if tok.pos_ == "PRON" and tok.lower_ in pronouns:
            out.append(Candidate(i, i + 1, "PRON"))
            i += 1
            continue
        if tok.pos_ in _NOMINAL or tok.pos_ in _MODIFIER:
            j = i
            while j < sent.end and not taken[j - sent.start] and doc[j].pos_ in _MODIFIER:
                j += 1
            k = j
            while k < sent.end and not taken[k - sent.start] and doc[k].pos_ in _NOMINAL:
                k += 1
            if k > j:
                out.append(Candidate(i, k, "NP"))
                i = k
                continue
            i = max(j, i + 1)
            continue
        i += 1
    out.sort(key=lambda c: c.start)
    return out


def _quote_flags(sent: Span) -> list[bool]:
    flags, inside = [], False
    for tok in sent:
        if tok.text in QUOTE_CHARS:
            flags.append(True)
            inside = not inside
            continue
        flags.append(inside)
    return flags


def _cues(sent: Span, cue_words: frozenset[str], quotes: list[bool]) -> list[int]:
    return [t.i for t in sent if t.lower_ in cue_words and not quotes[t.i - sent.start]]


def sentence_features(sent: Span, lang: str, cue_words: frozenset[str]) -> list[str]:
    quotes = _quote_flags(sent)
    words = [t for t in sent if not t.is_space and not t.is_punct]
    quoted = sum(quotes[t.i - sent.start] for t in words)
    feats = ["bias", f"quoted={_bucket(quoted * 10 // max(len(words), 1))}"]
    if any(t.text in QUOTE_CHARS for t in sent):
        feats.append("has_quote")
    if len(sent) and sent[0].text in QUOTE_CHARS:
        feats.append("starts_quote")
    prev = "<s>"
    for t in sent:
        if t.is_space:
            continue
        inq = quotes[t.i - sent.start]
        low = t.lower_
        if not inq:
            feats.append(f"w={low}")
            feats.append(f"b={prev}|{low}")
            if t.pos_ in ("VERB", "AUX"):
                feats.append(f"vt={t.tag_}")
                mood = t.morph.get("Mood")
                if mood:
                    feats.append(f"mood={mood[0]}")
                if low.endswith("e") and not low.endswith("te") and t.pos_ == "VERB":
                    feats.append("verb_e")  # German Konjunktiv I forms the tagger misses
        else:
            feats.append("inq")
        if low in cue_words and not inq:
            feats.append("cue")
        prev = low if not inq else "<q>"
    feats.extend(f"ent={e.label_}" for e in sent.ents if e.label_ not in _SKIP_ENTS)
    if any(t.text == ":" for t in sent[:6]):
        feats.append("early_colon")
    return feats


def candidate_features(
    sent: Span, cand: Candidate, cands: list[Candidate], cue_at: list[int], quotes: list[bool]
) -> list[str]:
    doc = sent.doc
    kind = cand.kind
    first, last = doc[cand.start], doc[cand.end - 1]
    prev = doc[cand.start - 1] if cand.start > sent.start else None
    prev2 = doc[cand.start - 2] if cand.start - 1 > sent.start else None
    nxt = doc[cand.end] if cand.end < sent.end else None
    p = prev.lower_ if prev is not None else "<s>"
    n = nxt.lower_ if nxt is not None else "</s>"
    feats = [
        "bias",
        f"k={kind}",
        f"p={p}",
        f"p2={prev2.lower_ if prev2 is not None else '<s>'}|{p}",
        f"n={n}",
        f"k={kind}|p={p}",
        f"k={kind}|n={n}",
        f"ptag={prev.tag_ if prev is not None else '<s>'}",
        f"ntag={nxt.tag_ if nxt is not None else '</s>'}",
        f"k={kind}|ntag={nxt.tag_ if nxt is not None else '</s>'}",
        f"len={_bucket(cand.end - cand.start)}",
        f"k={kind}|first={first.lower_ if kind in ('PRON', 'NP') else first.shape_}",
        f"k={kind}|last={last.lower_ if kind in ('PRON', 'NP') else last.pos_}",
        f"order={_bucket(cands.index(cand))}",
        f"rorder={_bucket(len(cands) - 1 - cands.index(cand))}",
        f"k={kind}|at_start={cand.start == sent.start}",
    ]
    if quotes[cand.start - sent.start]:
        feats += ["inquote", f"k={kind}|inquote"]
    if cue_at:
        cue = min(cue_at, key=lambda c: min(abs(c - cand.start), abs(c - cand.end + 1)))
        side = "before" if cand.end <= cue else "after" if cand.start > cue else "in"
        dist = cue - cand.end if side == "before" else cand.start - cue if side == "after" else 0
        nearest = not any(
            o is not cand
            and o.kind == kind
            and (cue - o.end < dist if side == "before" else o.start - cue < dist)
            and (o.end <= cue if side == "before" else o.start > cue)
            for o in cands
        )
        punct = any(
            doc[i].is_punct for i in range(min(cue, cand.end), max(cue, cand.start)) if i >= 0
        )
        cue_low = doc[cue].lower_
        feats += [
            f"side={side}",
            f"k={kind}|side={side}",
            f"k={kind}|side={side}|d={_bucket(dist)}",
            f"side={side}|nearest={nearest}",
            f"k={kind}|side={side}|nearest={nearest}",
            f"side={side}|punct={punct}",
            f"cue={cue_low}|side={side}",
            f"cue={cue_low}|k={kind}|side={side}",
        ]
    else:
        feats += ["nocue", f"nocue|k={kind}", f"nocue|order={_bucket(cands.index(cand))}"]
    return feats


class LinearModel:
    """Logistic regression over hashed features: ``weights`` (DIM,) float32 and a bias."""

    def __init__(self, weights: np.ndarray, bias: float):
        self.weights = weights
        self.bias = bias

    def prob(self, feats: list[str]) -> float:
        z = self.bias + float(self.weights[[_h(f) for f in feats]].sum())
        return 1.0 / (1.0 + np.exp(-z))


@dataclass
class AttributionModel:
    lang: str
    detector: LinearModel
    ranker: LinearModel
    cue_words: frozenset[str]
    detect_threshold: float
    source_threshold: float
    # Whether the detector marks sentences without a cue as reported speech. Off in the shipped
    # models: on the annotated dev articles it cost more own-voice sentences than it won
    # claimants (docs/model-card-attribution.md).
    detect: bool = False
    # Whether a detected account without a source mention continues the last speaker's account
    carry_over: bool = False
    # Where the ranker reads the source of a sentence the rules found reported: "empty" (a cue
    # whose phrase named nobody), "unnamed" (also a quote or Konjunktiv I account without a
    # claimant, before the last speaker is carried over), "disagree" (also a cue whose phrase
    # the ranker scores ``override_margin`` below another mention), "none" (rules only)
    mode: str = "empty"
    override_margin: float = 0.5

    def reported_prob(self, sent: Span) -> float:
        return self.detector.prob(sentence_features(sent, self.lang, self.cue_words))

    def scored(self, sent: Span) -> list[tuple[float, Candidate]]:
        """Every candidate mention of ``sent`` with P(it is the source), in order."""
        cands = candidates(sent, self.lang)
        quotes = _quote_flags(sent)
        cue_at = _cues(sent, self.cue_words, quotes)
        return [
            (self.ranker.prob(candidate_features(sent, c, cands, cue_at, quotes)), c) for c in cands
        ]

    def best_source(self, sent: Span) -> tuple[Candidate, float] | None:
        """The mention most likely to be the source, with its probability (None: no mention)."""
        scored = self.scored(sent)
        if not scored:
            return None
        prob, best = max(scored, key=lambda x: x[0])
        return best, prob

    def source_tokens(self, sent: Span) -> list[Token] | None:
        """The source mention's tokens when the ranker is confident enough, else None."""
        found = self.best_source(sent)
        if found is None or found[1] < self.source_threshold:
            return None
        cand = found[0]
        return list(sent.doc[cand.start : cand.end])


def load(path: Path, lang: str) -> AttributionModel:
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        return AttributionModel(
            lang=lang,
            detector=LinearModel(z["detector"].astype(np.float32), float(z["detector_bias"])),
            ranker=LinearModel(z["ranker"].astype(np.float32), float(z["ranker_bias"])),
            cue_words=frozenset(meta["cue_words"]),
            detect_threshold=float(meta["detect_threshold"]),
            source_threshold=float(meta["source_threshold"]),
            detect=bool(meta.get("detect", False)),
            carry_over=bool(meta.get("carry_over", False)),
            mode=str(meta.get("mode", "empty")),
            override_margin=float(meta.get("override_margin", 0.5)),
        )


@functools.cache
def model(lang: str) -> AttributionModel | None:
    """The shipped model of ``lang``, loaded once per process on first use (None if absent)."""
    path = MODEL_DIR / f"{lang}.npz"
    return load(path, lang) if path.exists() else None


def learned_attribution(sent: Span, state: DocState, quotes: list[bool]) -> tuple[bool, str | None]:
    """(reported, claimant) for a sentence in which the rules found no cue: reported when the
    detector is confident; the claimant is the ranked source mention read by the same name rules
    as a cue's phrase (a pronoun, surname or role becomes the full name introduced earlier; a
    common noun names nobody), else None (the caller then continues the last speaker's account)."""
    found = model(state.lang)
    if found is None or not found.detect:
        return False, None
    if found.reported_prob(sent) < found.detect_threshold:
        return False, None
    tokens = found.source_tokens(sent)
    if not tokens:
        return found.carry_over, None
    phrase = state.phrase
    name = speaker_from_tokens(tokens, state, sent, quotes)
    if name is None:
        state.phrase = phrase
        return found.carry_over, None
    return True, name


def learned_source(
    sent: Span, state: DocState, quotes: list[bool], claimant: str | None, *, cue: bool
) -> str | None:
    """For a sentence whose cue the rules found: the claimant the ranker's source mention names
    instead of the rules' one, or None to keep the rules' claimant. Only where the rules' phrase
    named nobody (mode "empty"), or scores ``override_margin`` below the best mention
    ("disagree"), and the best mention is above the source threshold and names someone."""
    found = model(state.lang)
    if found is None or found.mode not in ("empty", "unnamed", "disagree"):
        return None
    if claimant is not None and found.mode != "disagree":
        return None
    if not cue and found.mode == "empty":
        return None
    scored = found.scored(sent)
    if not scored:
        return None
    best_prob, best = max(scored, key=lambda x: x[0])
    if best_prob < found.source_threshold:
        return None
    phrase = state.phrase
    if claimant is not None:
        chosen = {t.i for t in phrase}
        if any(best.start <= i < best.end for i in chosen):
            return None  # the rules read the same mention
        rules_prob = max(
            (p for p, c in scored if any(c.start <= i < c.end for i in chosen)), default=0.0
        )
        if best_prob - rules_prob < found.override_margin:
            return None
    name = speaker_from_tokens(list(sent.doc[best.start : best.end]), state, sent, quotes)
    if name is None or name == claimant:
        state.phrase = phrase
        return None
    return name
