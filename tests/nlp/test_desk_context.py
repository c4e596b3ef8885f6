"""Round "context" (issue #12): the article-context features and the learners compared in
training/checkworthiness/desk_context.py (none shipped; these pin what the comparison measured)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from claims.nlp.embeddings import embed
from training.checkworthiness.context_features import CONTEXT_NAMES, context_features
from training.checkworthiness.desk_context import GRID, fit_pair_head, pick_threshold

COL = {n: i for i, n in enumerate(CONTEXT_NAMES)}

# From the seed article (Hanoi summit, 2019), with a byline and a repeated lead.
TITLE = "Keine Einigung beim Nordkorea-Gipfel in Hanoi"
UNITS = [
    "Das Gipfeltreffen zwischen Donald Trump und Kim Jong Un in Hanoi ist ohne Einigung geendet.",
    "Von Anna Beispiel, ARD-Studio Tokio",
    '"Manchmal führt nicht immer alles gleich zu einem Abschluss", sagte Trump.',
    "Dem US-Außenminister Mike Pompeo zufolge waren die Sanktionen der Hauptgrund für das Ende.",
    "Der Gipfel zwischen Trump und Kim in Hanoi endete ohne Einigung.",
    "Die Börse in Seoul reagierte mit Kursverlusten von 1,8 Prozent.",
]
SEGMENTS = ["lead", "byline", "quote", "body", "body", "body"]
SCORES = [0.6, 0.1, 0.3, 0.8, 0.5, 0.7]


@pytest.fixture(scope="module")
def features() -> np.ndarray:
    return context_features(
        UNITS,
        segments=SEGMENTS,
        embeddings=embed(UNITS),
        checkworthiness=SCORES,
        title_embedding=embed([TITLE])[0],
    )


def test_the_units_restating_the_headline_are_closest_to_it(features):
    sim = features[:, COL["sim_title"]]
    assert {int(np.argmax(sim)), int(np.argsort(sim)[-2])} == {0, 4}
    assert sim[5] < sim[0] and sim[1] < sim[0]


def test_a_restatement_of_an_earlier_unit_is_not_novel(features):
    novelty = features[:, COL["novelty"]]
    assert novelty[0] == 1.0  # nothing before the first unit
    assert novelty[4] < novelty[3] and novelty[4] < novelty[5]


def test_boilerplate_does_not_count_in_positions_or_the_article_ranking(features):
    # The byline is not a real unit: the quote after it is the second real unit of five.
    assert features[2, COL["rel_position"]] == pytest.approx(1 / 5)
    assert features[3, COL["cw_rank"]] == 1.0 and features[3, COL["cw_gap"]] == 0.0
    assert features[2, COL["cw_rank"]] == 0.0  # the worst of the real units (0.3)
    assert features[0, COL["cw_gap"]] < 0


def test_quotes_and_their_neighbours(features):
    assert features[:, COL["quote_self"]].tolist() == [0, 0, 1, 0, 0, 0]
    # The neighbours of the quote among the real units: the lead (the byline is skipped) and
    # Pompeo's sentence.
    assert features[:, COL["quote_neighbour"]].tolist() == [1, 0, 0, 1, 0, 0]


def test_the_centroid_leaves_the_unit_itself_out():
    e = np.eye(3)[:2]  # two orthogonal units: each one's centroid of the others is the other
    out = context_features(
        ["a b", "c d"], segments=["body", "body"], embeddings=e, checkworthiness=[0.5, 0.5]
    )
    assert out[:, COL["sim_centroid"]].tolist() == [0.0, 0.0]
    assert out[:, COL["sim_title"]].tolist() == [0.0, 0.0]  # no headline given


def test_no_units_no_features():
    out = context_features([], segments=[], embeddings=np.zeros((0, 4)), checkworthiness=[])
    assert out.shape == (0, len(CONTEXT_NAMES))


def _article(lang: str, scores: np.ndarray, non_claim: np.ndarray):
    index = np.arange(len(scores))
    return SimpleNamespace(article=SimpleNamespace(lang=lang, non_claim=non_claim), index=index)


def test_the_threshold_is_the_lowest_that_keeps_flagged_non_claims_under_the_target():
    non = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0], dtype=float)
    scores = np.array([0.85, 0.61, 0.55, 0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.95, 0.9])
    data = [_article("de", scores, non), _article("en", scores, non)]
    # At 0.50 three of ten non-claims are flagged, at 0.56 two, from 0.62 one (0.10 > 0.07),
    # from 0.86 none.
    assert pick_threshold(data, [scores, scores]) == 0.86
    assert pick_threshold(data, [scores * 0.5, scores * 0.5]) == GRID[0]
    # One language is enough to raise it; it never goes above the grid (0.90).
    high = scores.copy()
    high[0] = 0.99
    assert pick_threshold(data, [scores * 0.5, high]) == GRID[-1] == 0.9


def test_the_pairwise_head_learns_what_a_desk_prefers_within_each_article():
    # Units = article topic + a "checkable" direction for the preferred ones + noise. A pointwise
    # head would also learn the topics of articles with many kept units; the within-article
    # pairs cancel the topic, so an article on an unseen topic is ranked by the direction alone.
    rng = np.random.default_rng(1)
    dim = 24
    checkable = np.zeros(dim)
    checkable[0] = 1.0
    train = []
    for _ in range(30):
        topic = rng.normal(size=dim) * 3
        topic[0] = 0.0
        ordered = np.array([5.0, 4.0, 1.0, 0.0, 0.0, 0.0, 0.0])
        emb = topic + np.outer(ordered, checkable) + rng.normal(size=(7, dim)) * 0.3
        train.append(SimpleNamespace(ordered=ordered, embeddings=emb))
    head = fit_pair_head(train)
    topic = rng.normal(size=dim) * 10
    topic[0] = 0.0
    new = topic + np.outer([0.0, 0.0, 5.0, 0.0], checkable) + rng.normal(size=(4, dim)) * 0.3
    assert int(np.argmax(head(new))) == 2
