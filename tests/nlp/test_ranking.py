"""Desk ranking (claims.nlp.ranking): real-article cases and the model file's contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claims.nlp import ranking
from claims.nlp.ranking import FEATURE_NAMES, desk_features, desk_scores, desk_threshold

# From a Reuters/VentureBeat article (2019-11-18) of the annotated dev set: the lead claim, a
# reported number, and sentences a fact-checker marked as non-claims.
WEWORK_TITLE = "New York State Attorney General investigating WeWork and former CEO"
WEWORK = [
    "(Reuters) — The New York State Attorney General (NYAG) is investigating WeWork, according to "
    "two people familiar with the matter, adding to a mounting series of problems that have turned "
    "the workspace provider from a Wall Street darling into a pariah in a matter of weeks.",
    "A spokesperson for the NYAG declined to comment.",
    "WeWork now faces a radical restructuring.",
    "The New York Times reported on Sunday that WeWork is preparing to cut 4,000 jobs.",
    "Show all 50",
]

# From the seed article (Hanoi summit, 2019): Pompeo's reported claim against a quoted opinion and
# a speculation, both marked as non-claims by the annotator.
HANOI_TITLE = "Atomare Abrüstung - Keine Einigung beim Nordkorea-Gipfel"
HANOI = [
    "Das Gipfeltreffen zwischen US-Präsident Donald Trump und Nordkoreas Machthaber Kim Jong Un in "
    "Hanoi hat keinen Durchbruch gebracht.",
    '"Manchmal führt nicht immer alles gleich zu einem Abschluss."',
    "Dem US-Außenminister Mike Pompeo zufolge waren die US-Sanktionen gegen Nordkorea der "
    "Hauptgrund für das Ende des Gipfels ohne Einigung.",
    "Dies könne dem Minister zufolge vielleicht sogar in den nächsten Wochen geschehen.",
]


def test_english_article_claims_outrank_its_non_claims():
    scores = desk_scores(WEWORK, lang="en", title=WEWORK_TITLE)
    assert len(scores) == len(WEWORK)
    assert all(0.0 <= s <= 1.0 for s in scores)
    claims = min(scores[0], scores[3])
    assert claims > max(scores[1], scores[2], scores[4])
    assert scores[0] >= desk_threshold() and scores[3] >= desk_threshold()
    assert scores[4] < desk_threshold()  # "Show all 50": navigation, not a claim


def test_german_reported_claim_outranks_opinion_and_speculation():
    scores = desk_scores(HANOI, lang="de", title=HANOI_TITLE)
    assert scores[2] > scores[1]
    assert scores[2] > scores[3]
    assert scores[2] >= desk_threshold()
    assert scores[1] < desk_threshold()


def test_scores_follow_input_order_and_candidates_keep_their_positions():
    full = desk_scores(WEWORK, lang="en", title=WEWORK_TITLE)
    subset = desk_scores([WEWORK[3], WEWORK[0]], lang="en", title=WEWORK_TITLE, positions=[3, 0])
    assert subset == pytest.approx([full[3], full[0]])


def test_boilerplate_segments_go_to_the_bottom():
    segments = ["lead", "body", "body", "body", "byline"]
    texts = [*WEWORK[:4], "Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR"]
    scores = desk_scores(texts, lang="en", title=WEWORK_TITLE, segments=segments)
    assert scores[4] == min(scores)
    assert scores[4] < 0.01


def _quantities(texts: list[str], lang: str) -> list[float]:
    n = len(texts)
    feats = desk_features(
        texts, lang=lang, checkworthiness=[0.5] * n, subjectivity=[0.0] * n, news_head=[0.0] * n
    )
    return list(feats[:, FEATURE_NAMES.index("quantities")])


def test_specificity_counts_quantities_not_bare_dates():
    en = _quantities(
        ["WeWork is preparing to cut 4,000 jobs.", "WeWork met investors on September 30, 2019."],
        "en",
    )
    assert en[0] > 0 and en[1] == 0
    de = _quantities(
        [
            "Die Inflation stieg im März um 2,5 Prozent.",
            "Vor zwei Wochen, am 12. März 2019, kam er.",
        ],
        "de",
    )
    assert de[0] > 0 and de[1] == 0


def test_headline_overlap_and_lead():
    feats = desk_features(
        [
            "Something else entirely happened.",
            "WeWork is being investigated by the attorney general.",
        ],
        lang="en",
        title=WEWORK_TITLE,
        positions=[0, 7],
        checkworthiness=[0.5, 0.5],
        subjectivity=[0.0, 0.0],
        news_head=[0.0, 0.0],
    )
    h, lead = FEATURE_NAMES.index("headline"), FEATURE_NAMES.index("lead")
    assert feats[1, h] > feats[0, h] == 0
    assert feats[0, lead] == 1 and feats[1, lead] == 0


def test_model_file_is_plain_arrays_with_both_languages_calibrated():
    with np.load(ranking.MODEL_FILE, allow_pickle=False) as data:
        header = json.loads(str(data["header"]))
        assert data["coef"].shape == (len(FEATURE_NAMES),)
        assert data["subj_coef"].shape == data["news_coef"].shape == (512,)
    assert header["features"] == list(FEATURE_NAMES)
    assert set(header["platt"]) == {"de", "en"}
    assert 0.0 < header["threshold"] < 1.0


def test_empty_input():
    assert desk_scores([], lang="de") == []


def test_explanations_add_up_to_the_logit():
    feats = desk_features(WEWORK, lang="en", title=WEWORK_TITLE)
    model = ranking.desk_model()
    parts = ranking.explain(feats)
    sums = [sum(p.values()) + model.bias for p in parts]
    assert sums == pytest.approx(list(model.raw_logits(feats)))
    assert set(parts[0]) == set(FEATURE_NAMES)


def test_seed_article_key_claim_outranks_quotes_and_characterisations_with_real_segments():
    # Units of the seed article as the pipeline segments them (lead, body, quote), at their
    # positions: the annotators' first top claim against the lead's quote and two evaluations.
    texts = [
        "Kim Jong Un und Donald Trump haben sich nicht auf ein Abkommen zur Denuklearisierung "
        "Nordkoreas geeinigt.",
        "»Manchmal muss man einfach aufstehen und gehen«, sagte Trump.",
        "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr keine Atomwaffen und "
        "Raketen mehr getestet habe, sagte er.",
        '"Wir haben eine sehr intensive und starke Beziehung", sagte er.',
        'Trump bezeichnete die Gespräche als "sehr gute Diskussionen".',
    ]
    scores = desk_scores(
        texts,
        lang="de",
        title=HANOI_TITLE,
        segments=["lead", "lead", "body", "quote", "body"],
        positions=[1, 2, 18, 25, 30],
    )
    assert scores[2] == max(scores)
    assert scores[2] >= desk_threshold()
    assert max(scores[1], scores[3], scores[4]) < desk_threshold()


def test_desk_was_fitted_on_pipeline_units_and_does_not_penalise_the_lead():
    # Fitted on the pipeline's real structure segments, the lead is no longer pushed down (the
    # sentence-list fit gave it a negative weight because "lead" meant "first two sentences").
    with np.load(ranking.MODEL_FILE, allow_pickle=False) as data:
        header = json.loads(str(data["header"]))
    assert "pipeline units" in header["data"]
    assert ranking.desk_model().coef[FEATURE_NAMES.index("lead")] >= 0
