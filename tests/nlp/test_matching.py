"""Claim matching core (claims.nlp.matching): real embeddings, real index, no database."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from claims.nlp.matching import (
    ClaimIndex,
    MatchConfig,
    claim_embeddings,
    embedding_from_bytes,
    embedding_to_bytes,
    match_level,
    normalise_claim_text,
)
from claims.nlp.matching.features import term_frequencies
from claims.nlp.matching.lexical import LexicalStore
from claims.nlp.matching.text import is_english, numbers
from claims.nlp.matching.tsv import match_record, match_rows, read_tsv
from claims.nlp.matching.vectors import ENGLISH_DIM

PAIRS = Path(__file__).resolve().parents[1] / "data" / "crosslingual_pairs.tsv"

COLLECTION = [
    ("c1", "North Korea has not tested nuclear weapons or missiles for more than a year."),
    (
        "c2",
        "US sanctions on North Korea were the main reason the Hanoi summit ended without a deal.",
    ),
    ("c3", "The 1969 moon landing was staged in a film studio."),
    ("c4", "Germany took in more than a million refugees in 2015."),
    ("c5", "Wind turbines kill millions of birds in Germany every year."),
    ("c6", "Covid vaccines alter human DNA."),
    ("c7", "Inflation in Germany was 7.9 percent in 2022."),
    ("c8", "Bill Gates wants to implant microchips in people through vaccines."),
]


@pytest.fixture(scope="module")
def index() -> ClaimIndex:
    idx = ClaimIndex()
    idx.add([i for i, _ in COLLECTION], [t for _, t in COLLECTION])
    return idx


def test_normalise_strips_social_media_furniture():
    tweet = (
        "BREAKING: Covid vaccines alter human DNA!!! 😱🇺🇸 @WHO #VaccineInjury "
        "https://t.co/abc123 pic.twitter.com/XyZ987 — Jane Doe (@janedoe) March 3, 2021"
    )
    assert (
        normalise_claim_text(tweet)
        == "BREAKING: Covid vaccines alter human DNA!!! WHO Vaccine Injury (Jane Doe)"
    )


def test_normalise_keeps_only_the_signature_authors_name():
    # Who tweeted is often what the claim is about: the name stays, handle and date go.
    tweet = "Twitter is trying to kill me! — Reginald VelJohnson (@rveljohnson) Feb 15, 2017"
    assert normalise_claim_text(tweet) == "Twitter is trying to kill me! (Reginald VelJohnson)"
    assert normalise_claim_text(normalise_claim_text(tweet)) == normalise_claim_text(tweet)
    # A signature without a name (or only an emoji for one) leaves nothing behind.
    assert normalise_claim_text("Stay home. — (@who) March 3, 2020") == "Stay home."
    assert normalise_claim_text("Stay home. — 🇺🇸 (@who) March 3, 2020") == "Stay home."
    # A dash that is no signature is left alone.
    assert normalise_claim_text("Taxes went up — a lot.") == "Taxes went up — a lot."


def test_normalise_drops_cut_signature_entities_and_repeats():
    cut = "Taxes went up. — Ilhan Omar (@Ilhan"
    assert normalise_claim_text(cut) == "Taxes went up. (Ilhan Omar)"
    assert normalise_claim_text("Tom &amp; Jerry are real.") == "Tom & Jerry are real."
    post = "Impfung verändert die DNA! Mehr hier 👇 Impfung verändert die DNA! Mehr hier 👇 None"
    assert normalise_claim_text(post) == "Impfung verändert die DNA! Mehr hier"


def test_numbers_are_canonical_across_languages():
    assert numbers("1.500 Menschen, 3,5 Prozent") == numbers("1,500 people, 3.5 percent")
    assert numbers("in 2015") == frozenset({"2015"})
    assert numbers("no digits here") == frozenset()


def test_exact_match_despite_case_url_and_punctuation(index: ClaimIndex):
    [matches] = index.search(["covid vaccines ALTER human DNA https://example.org/x"], top=3)
    best = matches[0]
    assert best.id == "c6"
    assert best.signals["exact"] == 1.0
    assert match_level(best.score, index.config) == "confirmed"
    assert "same text" in best.reason


def test_near_duplicate_is_top_and_at_least_suggested(index: ClaimIndex):
    [matches] = index.search(["Wind turbines are killing millions of birds every year in Germany"])
    assert matches[0].id == "c5"
    assert match_level(matches[0].score, index.config) is not None
    assert matches[0].score > matches[1].score


def test_number_signals_and_reason(index: ClaimIndex):
    [[same]] = index.search(["In 2022, German inflation reached 7.9 percent."], top=1)
    assert same.id == "c7"
    assert same.signals["numbers_agree"] == 1.0
    assert "same numbers" in same.reason
    [[other]] = index.search(["Inflation in Germany was 2.1 percent in 2019."], top=1)
    assert other.id == "c7"
    assert other.signals["numbers_conflict"] == 1.0
    assert "different numbers" in other.reason
    assert other.score < same.score


def test_unrelated_claim_gets_no_level(index: ClaimIndex):
    [matches] = index.search(["The city council approved a new bicycle lane on Main Street."])
    assert all(match_level(m.score, index.config) is None for m in matches)


def _pairs() -> tuple[dict[str, tuple[str, str, str]], list[str]]:
    with PAIRS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {r["id"]: (r["lang"], r["pair"], r["text"]) for r in rows}, [r["id"] for r in rows]


@pytest.mark.parametrize(("query_lang", "collection_lang"), [("de", "en"), ("en", "de")])
def test_crosslingual_pairs_recall_at_5(query_lang: str, collection_lang: str):
    rows, order = _pairs()
    collection = [i for i in order if rows[i][0] == collection_lang]
    queries = [i for i in order if rows[i][0] == query_lang and rows[i][1]]
    assert len(queries) >= 30 and len(collection) >= len(queries) + 15
    idx = ClaimIndex()
    idx.add(collection, [rows[i][2] for i in collection])
    results = idx.search([rows[i][2] for i in queries], top=5)
    hits = [
        any(rows[m.id][1] == rows[q][1] for m in matches)
        for q, matches in zip(queries, results, strict=True)
    ]
    top1 = [
        rows[matches[0].id][1] == rows[q][1] for q, matches in zip(queries, results, strict=True)
    ]
    assert sum(hits) / len(hits) >= 0.95
    assert sum(top1) / len(top1) >= 0.85


def test_incremental_add_remove_and_replace(index: ClaimIndex):
    idx = ClaimIndex()
    idx.add([i for i, _ in COLLECTION], [t for _, t in COLLECTION])
    idx.remove(["c3"])
    assert "c3" not in idx and len(idx) == len(COLLECTION) - 1
    [matches] = idx.search(["The moon landing in 1969 was faked in a studio."], top=10)
    assert "c3" not in [m.id for m in matches]
    idx.add(["c3"], ["The 1969 moon landing was staged in a film studio."])
    [matches] = idx.search(["The moon landing in 1969 was faked in a studio."], top=1)
    assert matches[0].id == "c3"
    # Re-adding an id replaces its text.
    idx.add(["c3"], ["Elvis Presley is still alive."])
    [matches] = idx.search(["Elvis is alive"], top=1)
    assert matches[0].id == "c3" and len(idx) == len(COLLECTION)


def test_compaction_after_many_removals_keeps_results():
    rng = np.random.default_rng(7)
    filler = rng.normal(size=(1500, 512)).astype(np.float32)
    filler /= np.linalg.norm(filler, axis=1, keepdims=True)
    idx = ClaimIndex()
    idx.add(
        [f"f{i}" for i in range(1500)], [f"filler claim number {i}" for i in range(1500)], filler
    )
    idx.add([i for i, _ in COLLECTION], [t for _, t in COLLECTION])
    idx.remove([f"f{i}" for i in range(1200)])
    assert len(idx) == 300 + len(COLLECTION)
    assert idx._store.n == len(idx)  # compacted: the dead rows are gone
    [matches] = idx.search(["Bill Gates puts microchips into vaccines"], top=1)
    assert matches[0].id == "c8"


def test_rebuild_from_stored_vectors_gives_same_results(index: ClaimIndex):
    stored = {i: embedding_to_bytes(index.embedding(i)) for i, _ in COLLECTION}
    assert all(len(b) == 512 * 4 for b in stored.values())
    # The English encoder's vector, stored per English claim (all of COLLECTION is English).
    stored_en = {
        i: embedding_to_bytes(index.english_embedding(i), ENGLISH_DIM) for i, _ in COLLECTION
    }
    assert all(len(b) == ENGLISH_DIM * 4 for b in stored_en.values())
    rebuilt = ClaimIndex()
    rebuilt.add(
        [i for i, _ in COLLECTION],
        [t for _, t in COLLECTION],
        np.stack([embedding_from_bytes(stored[i]) for i, _ in COLLECTION]),
        english_embeddings=[embedding_from_bytes(stored_en[i], ENGLISH_DIM) for i, _ in COLLECTION],
    )
    queries = [
        "Deutschland hat 2015 über eine Million Flüchtlinge aufgenommen.",
        "vaccines change DNA",
    ]
    original = index.search(queries)
    again = rebuilt.search(queries)
    assert [[(m.id, m.score) for m in ms] for ms in original] == [
        [(m.id, m.score) for m in ms] for ms in again
    ]
    np.testing.assert_allclose(
        claim_embeddings([COLLECTION[0][1]])[0], index.embedding("c1"), atol=1e-6
    )


def test_lexical_candidates_from_the_database_are_scored(index: ClaimIndex):
    cfg = replace(index.config, lexical_search=False, semantic_candidates=1)
    idx = ClaimIndex(config=cfg)
    idx.add([i for i, _ in COLLECTION], [t for _, t in COLLECTION])
    [matches] = idx.search(
        ["Germany refugees 2015"], top=5, lexical_candidates=[["c4", "c7", "zz"]]
    )
    assert {"c4", "c7"} <= {m.id for m in matches}


def test_near_verbatim_collection_copies_collapse_to_the_earliest():
    idx = ClaimIndex()
    idx.add(
        ["old", "other", "copy"],
        [
            'Trump "crashed" a wedding and groped the bride.',
            "Trump played golf on the day of the summit.",
            "Trump 'crashed' a wedding and groped the bride.",
        ],
    )
    [matches] = idx.search(
        ["Creepy photos of Trump crashing a wedding and trying to kiss the bride"]
    )
    assert [m.id for m in matches] == ["old", "other"]


def test_thresholds_to_levels():
    cfg = replace(MatchConfig(), confirmed=0.8, suggested=0.4)
    assert match_level(0.95, cfg) == "confirmed"
    assert match_level(0.8, cfg) == "confirmed"
    assert match_level(0.5, cfg) == "suggested"
    assert match_level(0.39, cfg) is None
    shipped = MatchConfig()
    assert 0.0 < shipped.suggested <= shipped.confirmed < 1.0
    with pytest.raises(ValueError):
        replace(MatchConfig(), confirmed=0.3, suggested=0.6)
    with pytest.raises(ValueError):
        replace(MatchConfig(), weights={"no_such_signal": 1.0})


def _write_tsv(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def test_tsv_reader_uses_header_names_and_ignores_extra_columns():
    rows = read_tsv(io.StringIO("title\ttext\tid\nT\tsome claim\tx1\n\n"))
    assert rows == [("x1", "some claim")]
    with pytest.raises(ValueError):
        read_tsv(io.StringIO("key\tclaim\nx\ty\n"))


def test_tsv_reader_takes_checkthat_column_names_and_titles_on_request():
    # CheckThat! 2020's collection: an unnamed id column, `vclaim` and `title`.
    content = "\tvclaim\ttitle\n0\tA claim.\tIs It True?\n1\tSame words.\tSame words.\n"
    assert read_tsv(io.StringIO(content)) == [("0", "A claim."), ("1", "Same words.")]
    assert read_tsv(io.StringIO(content), with_title=True) == [
        ("0", "A claim. Is It True?"),
        ("1", "Same words."),  # a title already in the text is not added twice
    ]
    assert read_tsv(io.StringIO("\ttweet_content\n7\tsome tweet\n")) == [("7", "some tweet")]
    # `text` wins over an alias when a file has both.
    assert read_tsv(io.StringIO("id\tvclaim\ttext\nx\tno\tyes\n")) == [("x", "yes")]


def test_match_rows_contract():
    queries = [("q2", "Kim promised: no more nuclear tests"), ("q1", "vaccines alter DNA")]
    out = [match_record(q, ms) for q, ms in match_rows(COLLECTION, queries, top=3)]
    assert [o["query"] for o in out] == ["q2", "q1"]
    assert all(len(o["matches"]) == 3 for o in out)
    assert out[1]["matches"][0]["id"] == "c6"
    scores = [m["score"] for m in out[1]["matches"]]
    assert scores == sorted(scores, reverse=True)
    assert set(out[0]["matches"][0]) == {"id", "score"}


def test_incremental_tfidf_matches_a_fresh_build():
    """Rows added after a search (the TF-IDF tail) score as in an index built in one go."""
    first, later = COLLECTION[:5], COLLECTION[5:]
    query = ["Inflation in Germany reached 7.9 percent; vaccines alter DNA, said Bill Gates"]
    incremental = ClaimIndex()
    incremental.add([i for i, _ in first], [t for _, t in first])
    incremental.search(query)  # builds the term-major matrix
    for claim_id, text in later:
        incremental.add([claim_id], [text])
    fresh = ClaimIndex()
    fresh.add([i for i, _ in COLLECTION], [t for _, t in COLLECTION])
    for mode in (True, False):  # own TF-IDF search (SQLite) and per-candidate scoring (PostgreSQL)
        for idx in (incremental, fresh):
            idx.config = replace(idx.config, lexical_search=mode, semantic_candidates=8)
        ours = {m.id: m.signals["lexical"] for m in incremental.search(query, top=8)[0]}
        theirs = {m.id: m.signals["lexical"] for m in fresh.search(query, top=8)[0]}
        assert ours.keys() == theirs.keys()
        for claim_id in ("c6", "c7", "c8"):
            assert ours[claim_id] > 0.1
            assert ours[claim_id] == pytest.approx(theirs[claim_id], abs=0.05 if mode else 1e-4)


def test_tsv_reader_takes_plain_tab_separated_lines_with_stray_quotes():
    plain = 'id\ttext\nt1\t"Quoted" start, said nobody\nt2\t"unterminated quote\nt3\tplain\n'
    assert read_tsv(io.StringIO(plain)) == [
        ("t1", '"Quoted" start, said nobody'),
        ("t2", '"unterminated quote'),
        ("t3", "plain"),
    ]
    quoted = 'id\ttext\nq1\t"say ""hi""\nand bye"\nq2\tx\n'  # csv quoting, a newline inside
    assert read_tsv(io.StringIO(quoted)) == [("q1", 'say "hi"\nand bye'), ("q2", "x")]


def test_english_vectors_only_for_english_claims():
    idx = ClaimIndex()
    idx.add(
        ["en", "de"],
        ["Covid vaccines alter human DNA.", "Die Corona-Impfung verändert das menschliche Erbgut."],
    )
    vector = idx.english_embedding("en")
    assert vector is not None and vector.shape == (ENGLISH_DIM,)
    assert idx.english_embedding("de") is None
    assert is_english("Wind turbines kill millions of birds.")
    assert not is_english("Windräder töten jedes Jahr Millionen Vögel.")


def test_english_signal_is_used_for_english_pairs_only(index: ClaimIndex):
    [en_matches] = index.search(["Do the covid jabs change your genes?"], top=3)
    assert en_matches[0].id == "c6"
    assert en_matches[0].signals["semantic_en"] > 0.3
    [de_matches] = index.search(["Verändern die Corona-Impfungen unsere Gene?"], top=3)
    assert de_matches[0].id == "c6"
    # A German query has no English-encoder signal at all.
    assert all(m.signals["semantic_en"] == 0.0 for m in de_matches)


def test_english_query_against_claims_without_english_vectors(index: ClaimIndex):
    """An index rebuilt from multilingual vectors only (the app before it stores English
    vectors) still ranks English queries, with the multilingual blend."""
    rebuilt = ClaimIndex()
    rebuilt.add(
        [i for i, _ in COLLECTION],
        [t for _, t in COLLECTION],
        np.stack([index.embedding(i) for i, _ in COLLECTION]),
    )
    assert rebuilt.english_embedding("c6") is None
    [found] = rebuilt.candidates(["Do the covid jabs change your genes?"])
    assert not found.english
    [matches] = rebuilt.search(["Do the covid jabs change your genes?"], top=1)
    assert matches[0].id == "c6"


def test_english_queries_use_the_english_blend(index: ClaimIndex):
    [found] = index.candidates(["Do the covid jabs change your genes?"])
    assert found.english
    [german] = index.candidates(["Verändern die Corona-Impfungen unsere Gene?"])
    assert not german.english
    english = index.score(found.signals, english=True)
    multilingual = index.score(found.signals, english=False)
    assert not np.allclose(english, multilingual)  # two fitted blends, not one


def test_bm25_prefers_rare_shared_words_and_is_relative_to_the_best():
    store = LexicalStore()
    docs = [
        "the minister said the tax was raised",
        "the minister said the zeppelin tax was raised",
        "the weather was fine",
    ] + [f"the minister said something else {i}" for i in range(20)]
    store.append(term_frequencies(docs))
    query = term_frequencies(["zeppelin tax raised by the minister"])
    scores = store.bm25_pair_scores(query, 0, np.arange(3))
    assert scores.max() == pytest.approx(1.0)
    assert scores[1] > scores[0] > scores[2]
