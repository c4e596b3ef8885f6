"""The writer's batch counting equals counting each claim on its own (no database)."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from claims.nlp.matching import normalise_claim_text
from claims.nlp.matching.corpus import _BINCOUNT_FROM, CorpusStatistics, HashedCounts, bucket
from claims.nlp.matching.features import _MASK, _word_char_features, char_counts, term_frequencies
from claims.services.matching.words import claim_words

TEXTS = [
    "Die Regierung hat 2023 über 1.500 Millionen Euro für Straßen ausgegeben, sagt die Regierung.",
    "Größere Förderung: Die Regierung gibt mehr Geld für Straßen und Brücken aus. Mehr Geld!",
    "The government spent $1.5 billion on roads in 2023, the government said.",
    "Unemployment fell to 3.4 percent, the lowest unemployment rate since 1969 (1969!).",
    "Laut @bundesregierung sinkt die Arbeitslosigkeit #Arbeitsmarkt https://t.co/xyz",
    "a I x",  # short words only
    "Maß maß MASS straße STRASSE",  # casefolding and ß
    "Exportüberschuss Exportüberschuss Exportüberschuss",  # a word repeated within a claim
]


def plain_add(stats: CorpusStatistics, texts, *, words, lexemes) -> None:
    """The per-claim counting the writer did before (np.add.at, one set per claim)."""
    tf = term_frequencies(texts)
    np.add.at(stats.word_df, tf.indices, 1)
    stats.total_length += float(tf.sum())
    _rows, features, _counts = char_counts(texts)
    np.add.at(stats.char_df, features, 1)
    stats.n += len(texts)
    for claim_words_ in words:
        HashedCounts(stats.claim_word_df).add(set(claim_words_))
    for claim_lexemes in lexemes:
        HashedCounts(stats.lexeme_df).add(set(claim_lexemes))


def colliding_tokens() -> tuple[str, str]:
    """Two distinct tokens in one hash bucket (found deterministically)."""
    seen: dict[int, str] = {}
    for i in range(100_000):
        token = f"wort{i}"
        b = bucket(token)
        if b in seen:
            return seen[b], token
        seen[b] = token
    raise AssertionError("no collision")


def batch(copies: int) -> tuple[list[str], list[frozenset[str]], list[list[str]]]:
    texts = [f"{t} ({i})" for i in range(copies) for t in TEXTS]
    first, second = colliding_tokens()
    # Lexemes as lists with duplicates within a claim (what a tsvector parse may repeat),
    # and two distinct lexemes of one claim in the same bucket (counted twice, as before).
    lexemes = [[w[:5] for w in claim_words(t)] * 2 for t in texts]
    lexemes[0] += [first, second]
    return [normalise_claim_text(t) or t for t in texts], [claim_words(t) for t in texts], lexemes


# np.add.at for a few claims, one bincount per array for a writer's batch
@pytest.mark.parametrize(("copies", "step"), [(1, 3), (2400, 9600)])
def test_batch_counting_equals_plain_per_claim_counting(copies, step):
    texts, words, lexemes = batch(copies)
    if copies > 1:  # every array counted by the bincount
        assert sum(len(w) for w in words[:step]) > _BINCOUNT_FROM
        assert sum(len(set(lx)) for lx in lexemes[:step]) > _BINCOUNT_FROM
    fast, plain = CorpusStatistics.empty(), CorpusStatistics.empty()
    for start in range(0, len(texts), step):  # a few batches, counts accumulate
        part = slice(start, start + step)
        fast.add(texts[part], words=words[part], lexemes=lexemes[part])
        plain_add(plain, texts[part], words=words[part], lexemes=lexemes[part])
    for name in ("word_df", "char_df", "lexeme_df", "claim_word_df"):
        assert getattr(fast, name).dtype == np.int32
        assert np.array_equal(getattr(fast, name), getattr(plain, name)), name
    assert (fast.n, fast.total_length) == (plain.n, plain.total_length)
    # Counted at all: a word once per claim however often it occurs in it.
    assert HashedCounts(fast.claim_word_df)["exportüberschuss"] == copies
    assert fast.lexeme_df[bucket(colliding_tokens()[0])] >= 2


def stable_char_features(word: str) -> list[int]:
    padded = f" {word} "
    if len(padded) <= 3:
        return [zlib.crc32(padded.encode("utf-8", "surrogatepass")) & _MASK]
    return [
        zlib.crc32(padded[i : i + n].encode("utf-8", "surrogatepass")) & _MASK
        for n in (3, 4, 5)
        for i in range(len(padded) - n + 1)
    ]


@pytest.mark.parametrize(
    "word", ["a", "ab", "abc", "claim", "1.500", "straße", "übermäßig", "naïve", "x\ud800y"]
)
def test_char_features_of_ascii_and_other_words_are_the_crc_of_each_ngram(word):
    _word_char_features.cache_clear()
    assert _word_char_features(word).tolist() == stable_char_features(word)
