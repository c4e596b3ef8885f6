"""The real-news evaluation (training/extraction/evaluate.py, `evaluate_claims --articles`).

The scoring is tested on hand-made articles and units; one test runs the command over the committed
annotations and the shared pages (CI has them beside the checkout).
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from training.extraction.evaluate import (
    ALL,
    ANNOTATIONS,
    MANIFEST,
    SEEN,
    SPLITS,
    GoldArticle,
    aggregate,
    covers,
    default_shared,
    load_gold,
    locate,
    same_name,
    score_article,
)


@dataclass
class Unit:
    index: int
    start: int
    end: int
    score: float
    candidate: bool = True
    checkworthy: bool = True
    claimant: str | None = None
    standalone: str = ""


TEXT = (
    "Von Anna Muster, dpa\n\n"
    "Die Regierung hat die Steuern 2023 um 4 Prozent erhöht.  Das sei ein Fehler, sagte "
    "Friedrich Merz.\n»Wir   halten das für falsch«, so Merz."
)


def _span(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def _gold(**annotation) -> GoldArticle:
    base = {"top_claims": [], "checkworthy": [], "non_claims": [], "reported_speech": []}
    return GoldArticle("t", "de", "dev", "x", None, None, {**base, **annotation})


def test_locate_ignores_whitespace_and_quote_style():
    assert locate("»Wir halten das für falsch«, so Merz.", TEXT) == _span(
        "»Wir   halten das für falsch«, so Merz."
    )
    assert locate('"Wir halten das für falsch", so Merz.', TEXT) is not None
    assert locate("Ein Satz, den es nicht gibt.", TEXT) is None


def test_a_unit_covers_a_gold_sentence_when_it_holds_half_of_it():
    gold = (10, 30)
    assert covers((0, 25), gold)
    assert not covers((0, 15), gold)


def test_names_compare_exactly_but_for_case_and_spacing():
    assert same_name("friedrich  Merz", "Friedrich Merz")
    assert not same_name("Merz", "Friedrich Merz")
    assert not same_name(None, "unattributed")
    assert same_name("unattributed", "unattributed")
    assert same_name("Europäischer Gerichtshof", "Europäischer Gerichtshof (EuGH)")
    assert same_name("Europäischer Gerichtshof (EuGH)", "Europäischer Gerichtshof (EuGH)")
    assert not same_name("EuGH", "Europäischer Gerichtshof (EuGH)")
    # a leading definite article is spelling ("The Verge" as printed, "Verge" as read)
    assert same_name("New York Times", "The New York Times")
    assert same_name("die Bundesregierung", "Bundesregierung")
    assert not same_name("Verge", "The Verge Review")


def test_score_article_counts_every_metric():
    claim = "Die Regierung hat die Steuern 2023 um 4 Prozent erhöht."
    speech = "Das sei ein Fehler, sagte Friedrich Merz."
    gold = _gold(
        top_claims=[{"sentence": claim}],
        non_claims=[{"sentence": "Von Anna Muster, dpa", "kind": "byline"}],
        reported_speech=[
            {"sentence": speech, "speaker": "Friedrich Merz", "checkworthy": True},
            {"sentence": "»Wir halten das für falsch«, so Merz.", "speaker": "Friedrich Merz"},
        ],
    )
    units = [
        Unit(0, *_span("Von Anna Muster, dpa"), score=0.9, standalone="Von Anna Muster"),
        Unit(1, *_span(claim), score=0.8, standalone=claim),
        Unit(2, *_span(speech), score=0.1, claimant="Friedrich Merz", standalone="Das sei"),
        Unit(3, *_span("»Wir   halten das für falsch«, so Merz."), 0.2, claimant="Merz"),
    ]
    counts, missing = score_article(
        gold, TEXT, units, lambda text, lang: ["das"] * (" das" in text)
    )
    assert missing == []
    v = counts.values
    assert v["top5_recall"] == [1, 1]
    assert v["top5_nonclaims"] == [1, 4]  # the byline is among the (only) four candidates
    assert v["nonclaims_flagged"] == [1, 1]
    assert v["boilerplate_candidate"] == [1, 1]
    assert v["claimant_cw"] == [1, 1]
    assert v["claimant_all"] == [1, 2]  # "Merz" is not the full name
    assert v["standalone_names_claimant"] == [0, 2]
    # Leaving the byline out of the candidates fixes the non-claim figures; a check-worthy
    # sentence that is not a candidate counts as a wrong claimant.
    units[0].candidate = False
    units[2].candidate = False
    v = score_article(gold, TEXT, units, None)[0].values
    assert v["top5_nonclaims"] == [0, 2] and v["nonclaims_flagged"] == [0, 1]
    assert v["claimant_cw"] == [0, 1]
    assert "unresolved_top5" not in v


def test_a_gold_sentence_missing_from_the_text_counts_as_never_seen():
    # Extraction dropped the byline (page furniture) and, wrongly, the top claim: the claim is a
    # miss and not kept, the byline neither flagged nor a candidate; both are reported missing.
    text = TEXT.replace("Von Anna Muster, dpa\n\n", "").replace("um 4 Prozent", "um vier Prozent")
    gold = _gold(
        top_claims=[{"sentence": "Die Regierung hat die Steuern 2023 um 4 Prozent erhöht."}],
        non_claims=[{"sentence": "Von Anna Muster, dpa", "kind": "byline"}],
    )
    counts, missing = score_article(gold, text, [], None)
    v = counts.values
    assert len(missing) == 2
    assert v["top5_recall"] == [0, 1] and v["worthy_kept"] == [0, 1]
    assert v["worthy_found"] == [0, 1]
    assert v["nonclaims_flagged"] == [0, 1] and v["boilerplate_candidate"] == [0, 1]


def test_aggregate_pools_articles_with_a_bootstrap_interval():
    from training.extraction.evaluate import Counts

    rows = [Counts({"top5_recall": [1, 2]}), Counts({"top5_recall": [3, 3]})]
    result = aggregate(rows)["top5_recall"]
    assert result["value"] == pytest.approx(0.8) and result["n"] == 5
    assert 0.5 <= result["ci95"][0] <= result["value"] <= result["ci95"][1] <= 1.0


def test_annotations_follow_the_schema_and_the_manifest():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    ids = {m["id"] for m in manifest}
    files = {p.stem for p in ANNOTATIONS.glob("*.json")}
    assert files == ids
    for lang in ("de", "en"):
        mine = [m for m in manifest if m["language"] == lang]
        assert len(mine) >= 30
        assert sum(m["split"] == "heldout" for m in mine) == 10
    for path in ANNOTATIONS.glob("*.json"):
        a = json.loads(path.read_text(encoding="utf-8"))
        assert len(a["top_claims"]) <= 3, path
        for top in a["top_claims"]:
            assert {"sentence", "claimant", "claimant_role", "standalone"} <= set(top), path
        for speech in a["reported_speech"]:
            assert speech["speaker"], path


def test_command_without_the_pages_fails_clearly(tmp_path):
    with pytest.raises(CommandError, match="no news pages"):
        call_command("evaluate_claims", "--articles", "--shared", str(tmp_path))


def test_command_scores_the_annotated_articles(capsys):
    shared = default_shared()
    if not (shared / "news-pages").is_dir():
        message = f"news pages not found at {shared}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    call_command("evaluate_claims", "--articles", "--json")
    results = json.loads(capsys.readouterr().out)["articles"]
    assert results["split"] == "dev"
    for lang in ("de", "en"):
        r = results["languages"][lang]
        # Extraction drops page furniture (claims.ingest.furniture), never a check-worthy sentence.
        assert r["articles"] >= 30 and r["gold_checkworthy_not_found"] == 0
        assert r["gold_sentences_not_found"] <= 10
        assert {"top5_recall", "claimant_cw", "nonclaims_flagged"} <= set(r["metrics"])
    assert Path(ANNOTATIONS).is_dir()


def test_the_final_split_is_loaded_only_when_asked_for_by_name(tmp_path):
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    final = {m["id"] for m in manifest if m["split"] == "final"}
    for lang in ("de", "en"):  # 10 a language, annotated once (GUIDELINES.md, "The final split")
        assert sum(m["split"] == "final" and m["language"] == lang for m in manifest) == 10
    assert {g.id for g in load_gold("final")} == final
    assert {g.split for g in load_gold("final")} == {"final"}
    # "all" (dev and heldout) never includes it, so no development run scores it by accident.
    everything = {g.id for g in load_gold("all")}
    assert not everything & final
    assert everything == {m["id"] for m in manifest if m["split"] in ("dev", "heldout")}
    with pytest.raises(ValueError, match="unknown split"):
        load_gold("test")
    # The command accepts the split (it stops at the missing pages, before any scoring).
    with pytest.raises(CommandError, match="no news pages"):
        call_command("evaluate_claims", "--articles", "--split", "final", "--shared", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("evaluate_claims", "--articles", "--split", "test", "--shared", str(tmp_path))


# Splits scored once (or to be), each 10 articles a language, annotated by their own annotator
# (GUIDELINES.md). "sealed" is the untouched one, for the next single scoring.
ONCE = ("blind", "fresh", "sealed")
TYPES = {"quantity", "comparison", "causation", "prediction", "law", "personal", "other"}
KINDS = {
    "byline",
    "credit",
    "teaser",
    "cta",
    "notice",
    "navigation",
    "opinion",
    "speculation",
    "question",
    "pledge",
    "greeting",
    "other",
}


@pytest.mark.parametrize("split", ONCE)
def test_a_one_time_split_is_never_part_of_dev_or_all(tmp_path, split):
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    blind = {m["id"] for m in manifest if m["split"] == split}
    for lang in ("de", "en"):  # GUIDELINES.md: "The blind/fresh/sealed split"
        assert sum(m["split"] == split and m["language"] == lang for m in manifest) == 10
    # Fresh pages: none of them was in the hand-labelled furniture sample either.
    furniture = json.loads((MANIFEST.parent / "furniture_sample.json").read_text(encoding="utf-8"))
    assert not blind & set(furniture["pages"])
    others = ["dev", "all", "heldout", "final", *(s for s in ONCE if s != split)]
    if split not in SEEN:  # blind and fresh are spent and now part of "seen"; a new split is not
        others.append("seen")
    for other in others:
        assert not {g.id for g in load_gold(other)} & blind, other
    assert {g.id for g in load_gold("all")} == {
        m["id"] for m in manifest if m["split"] in ("dev", "heldout")
    }
    loaded = load_gold(split)
    assert {g.id for g in loaded} == blind and {g.split for g in loaded} == {split}
    # Asked for by name, the command accepts it (and stops at the missing pages, before scoring).
    with pytest.raises(CommandError, match="no news pages"):
        call_command("evaluate_claims", "--articles", "--split", split, "--shared", str(tmp_path))


@pytest.mark.parametrize("split", ONCE)
def test_one_time_annotations_follow_the_schema_and_quote_the_rebuilt_inputs(
    monkeypatch, tmp_path, split
):
    from training.extraction import inputs

    golds = load_gold(split)
    assert golds
    for gold in golds:
        a = gold.annotation
        assert a["id"] == gold.id and a["language"] == gold.language
        assert a["annotator"] == f"ann-{split}"
        assert len(a["top_claims"]) <= 3
        for top in a["top_claims"]:
            assert top["type"] in TYPES and top["standalone"].strip(), gold.id
            assert top["claimant"] is None or top["claimant"].strip(), gold.id
        for item in a["checkworthy"]:
            assert set(item) == {"n", "sentence", "claimant"}, gold.id
        for item in a["non_claims"]:
            assert item["kind"] in KINDS, gold.id
        for item in a["reported_speech"]:
            assert item["speaker"] and isinstance(item["checkworthy"], bool), gold.id
        worthy = {t["sentence"] for t in a["top_claims"] + a["checkworthy"]}
        assert not worthy & {n["sentence"] for n in a["non_claims"]}, gold.id
    shared = inputs.shared_dir()  # $CLAIMTRACKER_SHARED, else ../shared
    if not (shared / "news-pages").is_dir():
        message = f"news pages not found at {shared}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv("CLAIMTRACKER_CACHE", str(tmp_path))
    for gold in golds:
        text = inputs.article_inputs(gold, shared).text
        a = gold.annotation
        # Claims must stay in the text; a non-claim that extraction now drops as page furniture
        # is what the harness counts as "not kept" (the desired outcome), so it may be missing.
        for key in ("top_claims", "checkworthy", "reported_speech"):
            for item in a[key]:
                assert locate(item["sentence"], text), (gold.id, item["sentence"])
        # Prose (opinion, speculation, questions, pledges) is never page furniture: it stays.
        for item in a["non_claims"]:
            if item["kind"] in {"opinion", "speculation", "question", "pledge"}:
                assert locate(item["sentence"], text), (gold.id, item["sentence"])


def test_seen_is_exactly_the_spent_splits_and_no_new_one(tmp_path, monkeypatch):
    """ "seen" = dev + heldout + final + blind + fresh (each scored once as unseen data, now
    development data); a split added to the manifest later (the next untouched one) is never in
    it."""
    import training.extraction.evaluate as evaluate

    assert SEEN == ("dev", "heldout", "final", "blind", "fresh")
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    spent = {
        m["id"] for m in manifest if m["split"] in ("dev", "heldout", "final", "blind", "fresh")
    }
    assert {g.id for g in load_gold("seen")} == spent
    assert any(m["split"] == "fresh" for m in manifest)  # fresh has joined: its 20 are read
    # The untouched split is in the manifest and a known split, but in no group.
    assert any(m["split"] == "sealed" for m in manifest) and "sealed" in SPLITS
    assert "sealed" not in SEEN and "sealed" not in ALL
    assert not {g.id for g in load_gold("seen")} & {g.id for g in load_gold("sealed")}
    # A new split in the manifest, with its annotation on disk: not read by "seen" or "all"
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps([*manifest, {**manifest[0], "id": "xx-0001", "split": "sealed"}]))
    monkeypatch.setattr(evaluate, "MANIFEST", path)
    annotations = tmp_path / "annotations"
    annotations.mkdir()
    for m in manifest[:3]:
        (annotations / f"{m['id']}.json").write_text("{}", encoding="utf-8")
    (annotations / "xx-0001.json").write_text("{}", encoding="utf-8")
    assert {g.id for g in load_gold("seen", annotations)} == {m["id"] for m in manifest[:3]}
    assert "xx-0001" not in {g.id for g in load_gold("all", annotations)}
    monkeypatch.undo()
    with pytest.raises(CommandError, match="no news pages"):
        call_command("evaluate_claims", "--articles", "--split", "seen", "--shared", str(tmp_path))
