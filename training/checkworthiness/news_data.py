"""News data for the desk ranking: annotated real-news articles, CheckThat! 2025 subjectivity.

The annotated articles live outside the repo (/work/annot by default, ANNOT_DIR to move it):
inputs in articles/<id>.json, a fact-checker's annotations in out/<id>.json, splits in
manifest.json. Only the "dev" split is ever read here; the held-out articles are the
integrator's final check.
"""

from __future__ import annotations

import csv
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ANNOT_DIR = Path(os.environ.get("ANNOT_DIR", "/work/annot"))
# Kinds of non-claims that the structure helper removes before ranking (bylines, credits...).
BOILERPLATE_KINDS = frozenset({"byline", "credit", "teaser", "cta", "notice", "navigation"})


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class NewsArticle:
    id: str
    lang: str
    title: str
    sentences: list[str]
    top: set[int] = field(default_factory=set)  # sentence indices of the gold top claims
    top_groups: list[set[int]] = field(default_factory=list)  # one set per gold top claim
    checkworthy: set[int] = field(default_factory=set)  # other check-worthy sentences
    non_claims: dict[int, str] = field(default_factory=dict)  # index -> kind

    def label(self, i: int) -> str:
        if i in self.top:
            return "top"
        if i in self.checkworthy:
            return "checkworthy"
        if i in self.non_claims:
            return "non_claim"
        return "unlabelled"


def _match(sentences: list[str], normed: list[str], item: dict) -> set[int]:
    """Indices of the article sentences that a gold sentence covers (merged or split units)."""
    gold = norm(item["sentence"])
    n = item.get("n")
    if isinstance(n, int) and 0 < n <= len(normed) and normed[n - 1] == gold:
        return {n - 1}
    exact = {i for i, s in enumerate(normed) if s == gold}
    if exact:
        return exact
    return {i for i, s in enumerate(normed) if s and (s in gold or gold in s)}


def dev_articles(root: Path = ANNOT_DIR, lang: str | None = None) -> list[NewsArticle]:
    manifest = json.loads((root / "manifest.json").read_text())
    out = []
    for entry in manifest:
        if entry["split"] != "dev" or (lang and entry["language"] != lang):
            continue  # never read the held-out articles
        gold_path = root / "out" / f"{entry['id']}.json"
        if not gold_path.exists():
            continue  # not annotated (yet)
        src = json.loads((root / "articles" / f"{entry['id']}.json").read_text())
        gold = json.loads(gold_path.read_text())
        sentences = src["sentences"]
        normed = [norm(s) for s in sentences]
        art = NewsArticle(entry["id"], entry["language"], src.get("title") or "", sentences)
        for item in gold.get("top_claims", []):
            idx = _match(sentences, normed, item)
            if idx:
                art.top_groups.append(idx)
                art.top |= idx
        for item in gold.get("checkworthy", []):
            art.checkworthy |= _match(sentences, normed, item) - art.top
        for item in gold.get("non_claims", []):
            for i in _match(sentences, normed, item) - art.top - art.checkworthy:
                art.non_claims[i] = item.get("kind", "other")
        out.append(art)
    return out


SUBJ_DIR = "subjectivity/checkthat2025-task1"
_FOLDER = {"de": "german", "en": "english"}


def subjectivity_split(root: Path, lang: str, part: str) -> tuple[list[str], list[int]]:
    """CheckThat! 2025 task 1 sentences and labels (1 = SUBJ); part is train, dev or dev_test."""
    path = root / SUBJ_DIR / _FOLDER[lang] / f"{part}_{lang}.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r["sentence"] for r in rows], [1 if r["label"].strip() == "SUBJ" else 0 for r in rows]
