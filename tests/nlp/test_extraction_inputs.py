"""Article inputs rebuilt from the shared pages (training/extraction/inputs.py)."""

import json
import os
from pathlib import Path

import pytest

from training.extraction import inputs
from training.extraction.evaluate import MANIFEST, default_shared, load_gold, locate


def test_shared_dir_prefers_the_argument_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CLAIMTRACKER_SHARED", raising=False)
    assert inputs.shared_dir() == default_shared()
    assert default_shared().name == "shared"
    assert default_shared().parent == Path(inputs.__file__).resolve().parents[3]
    monkeypatch.setenv("CLAIMTRACKER_SHARED", str(tmp_path))
    assert inputs.shared_dir() == tmp_path
    assert inputs.shared_dir(tmp_path / "x") == tmp_path / "x"


def test_sentences_are_stripped_substrings_of_the_text():
    text = (
        "Berlin (dpa) - Die Regierung hat am Montag 3,5 Milliarden Euro bewilligt.\n\n"
        "Das sagte Finanzminister Olaf Scholz. Die Opposition kritisierte den Plan."
    )
    sentences = inputs.split_sentences(text, "de")
    assert len(sentences) >= 3
    assert all(s and s == s.strip() and s in text for s in sentences)
    assert sentences[-1] == "Die Opposition kritisierte den Plan."


def _pages_or_skip() -> Path:
    shared = inputs.shared_dir()
    if not (shared / "news-pages").is_dir():
        message = f"news pages not found at {shared}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return shared


def test_dev_inputs_hold_the_gold_sentences_and_never_a_heldout_article(monkeypatch, tmp_path):
    shared = _pages_or_skip()
    monkeypatch.setenv("CLAIMTRACKER_CACHE", str(tmp_path))
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    heldout = {m["id"] for m in manifest if m["split"] != "dev"}
    opened = []
    real = inputs.read_article
    monkeypatch.setattr(inputs, "read_article", lambda g, s: opened.append(g.split) or real(g, s))
    arts = inputs.dev_inputs(shared, lang="en")[:3]
    assert arts and set(opened) == {"dev"} and not {a.id for a in arts} & heldout
    for a in arts:
        assert a.language == "en" and a.sentences and all(s in a.text for s in a.sentences)
        assert a.title
        # the annotators' top claims quote the page text
        assert all(locate(t["sentence"], a.text) for t in a.annotation["top_claims"])
    # the second call reads the cached sentence lists (one file per article)
    assert len(list((tmp_path / "article-inputs").glob("*.json"))) == len(
        inputs.dev_inputs(shared, lang="en")
    )
    again = inputs.article_inputs(load_gold("dev")[0], shared)
    assert again.sentences == inputs.article_inputs(load_gold("dev")[0], shared, False).sentences
