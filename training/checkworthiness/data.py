"""Load the check-worthiness datasets from ../shared/datasets into plain lists.

Shared by training (train.py), the candidate comparison (compare.py) and the evaluation command
(claims/management/commands/evaluate_claims.py), so every number comes from the same splits.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

# CheckThat! 2019 debates held out as our ranking dev set. They are the newest training files,
# which ClaimBuster (debates up to 2016) cannot contain, so duplicates do not inflate the MAP.
CT19_DEV_DEBATES = (
    "20180916_trump_miami",
    "20180926_un_press",
    "20181010_medicare",
    "20181112_trump_pelosi",
    "20190108_oval_office",
)
GERMEVAL_DEV_FRACTION = 0.2
SEED = 13


@dataclass(frozen=True)
class Split:
    name: str
    lang: str
    texts: list[str]
    labels: list[int]
    groups: list[str] | None = None  # document ids, for per-document ranking metrics


def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def claimbuster(root: Path, part: str) -> Split:
    """ClaimBuster: 1 (check-worthy factual) is positive, -1 and 0 are not."""
    rows = _read_csv(root / "claimbuster" / f"{part}.csv")
    return Split(
        f"claimbuster-{part}",
        "en",
        [r["Text"] for r in rows],
        [1 if int(r["Verdict"]) == 1 else 0 for r in rows],
    )


def checkthat2024_dev(root: Path) -> Split:
    rows = _read_csv(root / "checkthat2024" / "CT24_checkworthy_english_dev-test.tsv", "\t")
    return Split(
        "ct24-dev-test",
        "en",
        [r["Text"] for r in rows],
        [1 if r["class_label"].strip() == "Yes" else 0 for r in rows],
    )


def checkthat2019(root: Path, *, dev: bool) -> Split:
    """Lines of the CheckThat! 2019 debates; dev=True gives the held-out debates only."""
    texts: list[str] = []
    labels: list[int] = []
    groups: list[str] = []
    for path in sorted((root / "checkthat2019" / "training").glob("*.tsv")):
        if (path.stem in CT19_DEV_DEBATES) != dev:
            continue
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 4:
                    continue
                texts.append(parts[2])
                labels.append(int(parts[3]))
                groups.append(path.stem)
    return Split("ct19-dev" if dev else "ct19-train", "en", texts, labels, groups)


def _stable_hash(key: str) -> str:
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def germeval_all(root: Path) -> Split:
    """All GermEval 2021 training comments (our train and dev folds together)."""
    rows = _read_csv(root / "germeval2021" / "GermEval21_TrainData.csv")
    return Split(
        "germeval-all",
        "de",
        [r["comment_text"] for r in rows],
        [int(r["Sub3_FactClaiming"]) for r in rows],
    )


def germeval(root: Path, *, dev: bool) -> Split:
    """GermEval 2021 subtask 3, with our own stratified dev fold (20 % of each class).

    The fold is chosen by a stable hash of the comment id within each class, so it keeps the class
    ratio and does not depend on row order or on a random generator's version.
    """
    rows = _read_csv(root / "germeval2021" / "GermEval21_TrainData.csv")
    dev_ids: set[str] = set()
    for label in ("0", "1"):
        ids = sorted(
            (r["comment_id"] for r in rows if r["Sub3_FactClaiming"] == label), key=_stable_hash
        )
        dev_ids.update(ids[: round(len(ids) * GERMEVAL_DEV_FRACTION)])
    chosen = [r for r in rows if (r["comment_id"] in dev_ids) == dev]
    return Split(
        "germeval-dev" if dev else "germeval-train",
        "de",
        [r["comment_text"] for r in chosen],
        [int(r["Sub3_FactClaiming"]) for r in chosen],
    )


def all_splits(root: Path) -> dict[str, Split]:
    splits = [
        claimbuster(root, "crowdsourced"),
        claimbuster(root, "groundtruth"),
        checkthat2024_dev(root),
        checkthat2019(root, dev=False),
        checkthat2019(root, dev=True),
        germeval(root, dev=False),
        germeval(root, dev=True),
        germeval_all(root),
    ]
    return {s.name: s for s in splits}
