"""Training the desk model (training/checkworthiness/train_desk.py, unit_data.py, desk_seen.py):
which annotated splits it may read, and that the script writes a file the ranking loads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from claims.nlp import ranking
from claims.nlp.ranking import FEATURE_NAMES, DeskModel
from training.checkworthiness import unit_data
from training.checkworthiness.unit_data import SEEN, parse_splits, split_cache
from training.extraction.evaluate import MANIFEST


def test_seen_is_dev_and_the_four_spent_splits():
    # "fresh" was scored once on 7 December 2026 and is spent since (round "context").
    assert SEEN == ("dev", "heldout", "final", "blind", "fresh")
    assert parse_splits("seen") == SEEN
    assert parse_splits("dev") == ("dev",)
    assert parse_splits("dev, heldout") == ("dev", "heldout")
    # Every split the manifest lists is one of them or a split the desk may not read.
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert set(SEEN) <= {m["split"] for m in manifest}


@pytest.mark.parametrize("value", ["next", "dev,next", "test", "all", ""])
def test_a_split_outside_seen_is_refused(value):
    with pytest.raises(ValueError, match="splits"):
        parse_splits(value)


def test_the_capture_refuses_an_untouched_split_before_reading_anything(tmp_path):
    # Any split not yet spent (the next one to be annotated) is refused by name.
    with pytest.raises(ValueError, match="next"):
        unit_data._capture(tmp_path, "next")


def test_each_split_has_its_own_cache_file_and_dev_keeps_the_old_name(tmp_path):
    cache = tmp_path / "units.pkl"
    assert split_cache(cache, "dev") == cache
    names = {split_cache(cache, s).name for s in SEEN}
    assert names == {
        "units.pkl",
        "units-heldout.pkl",
        "units-final.pkl",
        "units-blind.pkl",
        "units-fresh.pkl",
    }


def _shared() -> Path:
    from training.extraction.inputs import shared_dir

    shared = shared_dir()
    if not (shared / "news-pages").is_dir():
        message = f"news pages not found at {shared}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return shared


def test_training_on_a_tiny_subset_of_two_splits_writes_a_model_the_ranking_loads(tmp_path):
    from training.checkworthiness import train_desk

    shared = _shared()
    train_desk.main(
        [
            "--shared",
            str(shared),
            "--splits",
            "dev,heldout",
            "--subjectivity",
            "shipped",
            "--limit",
            "2",
            "--out",
            str(tmp_path),
        ]
    )
    path = tmp_path / "desk.npz"
    with (
        np.load(path, allow_pickle=False) as data,
        np.load(ranking.MODEL_FILE, allow_pickle=False) as shipped,
    ):
        header = json.loads(str(data["header"]))
        # The subjectivity head is copied, not refitted, with --subjectivity shipped.
        assert np.array_equal(data["subj_coef"], shipped["subj_coef"])
    assert header["splits"] == ["dev", "heldout"]
    assert header["articles"] == {"de": 4, "en": 4}  # two per language and split
    assert "dev+heldout" in header["data"]
    model = DeskModel(path)
    assert model.coef.shape == (len(FEATURE_NAMES),)
    assert set(model.platt) == {"de", "en"}
    feats = np.zeros((3, len(FEATURE_NAMES)))
    feats[:, 0] = [-2.0, 0.0, 2.0]  # only the sentence score differs
    probs = model.calibrate(model.raw_logits(feats), "de")
    assert np.all((probs > 0) & (probs < 1))


def test_the_shipped_file_says_which_articles_it_was_fitted_on():
    # The shipped desk.npz predates the split list: no "splits" in its header means dev only.
    with np.load(ranking.MODEL_FILE, allow_pickle=False) as data:
        header = json.loads(str(data["header"]))
    assert header.get("splits", ["dev"]) == ["dev"]
    assert header["articles"] == {"de": 31, "en": 30}


def test_paired_comparison_pools_articles_and_resamples_them_together():
    from training.checkworthiness.desk_seen import compare

    # Three articles: recipe b finds one more top claim in the second article.
    a = [
        {"top5_recall": [1, 2], "top5_nonclaims": [0, 5], "nonclaims_flagged": [1, 4]},
        {"top5_recall": [0, 3], "top5_nonclaims": [1, 5], "nonclaims_flagged": [0, 2]},
        {"top5_recall": [3, 3], "top5_nonclaims": [0, 5], "nonclaims_flagged": [0, 1]},
    ]
    b = [dict(r) for r in a]
    b[1] = {**a[1], "top5_recall": [1, 3]}
    result = compare(a, b)
    assert result["top5_recall"]["a"] == pytest.approx(4 / 8)
    assert result["top5_recall"]["b"] == pytest.approx(5 / 8)
    assert result["top5_recall"]["n"] == 8
    low, high = result["top5_recall"]["diff"]
    assert 0.0 <= low <= high <= 1 / 3  # never negative: b is never worse on any article
    assert result["top5_nonclaims"]["diff"] == (0.0, 0.0)  # same rows, paired: no noise at all
