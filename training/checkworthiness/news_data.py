"""News data for the desk ranking: annotated real-news articles, CheckThat! 2025 subjectivity.

The annotations and splits are committed (training/extraction/annotations, manifest.json); each
article's sentence list is rebuilt from the shared pages (``../shared`` beside the project root,
``--shared PATH`` or CLAIMTRACKER_SHARED) with the current splitter by
training.extraction.inputs. Only the "dev" split is ever read here; the held-out articles are the
integrator's final check.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

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


def dev_articles(shared: Path | None = None, lang: str | None = None) -> list[NewsArticle]:
    from training.extraction.inputs import dev_inputs

    out = []
    for src in dev_inputs(shared, lang):  # never reads the held-out articles
        gold = src.annotation
        sentences = src.sentences
        normed = [norm(s) for s in sentences]
        art = NewsArticle(src.id, src.language, src.title or "", sentences)
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
