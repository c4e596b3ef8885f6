"""Claimant errors on check-worthy reported speech by cause, from ``resolver_data`` dumps.

    python -m training.attribution.claimant_causes --data /tmp/res

Causes (first that applies), for the rules' output or a resolver's:
``not_found`` the gold sentence is not in the extracted text; ``not_candidate`` its unit is not a
claim candidate; ``not_reported`` the unit is not read as reported speech and has no claimant;
``none_vs_name`` read as reported speech without a claimant; ``unatt_vs_name`` "unattributed"
where gold names someone; ``name_vs_unatt`` a name invented where gold says "unattributed";
``variant`` the right entity in another form (surname only, a role word in the name, a genitive,
a longer or shorter form: the names share a word); ``org_vs_person`` an organisation for its
spokesperson or the other way round (one side is a registered person, the other not);
``wrong_person`` anyone else. ``in_choices``: the gold claimant is among the resolver's choices.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from training.attribution.resolver import SPLITS, decide, load
from training.extraction.evaluate import same_name

CAUSES = (
    "right",
    "not_found",
    "not_candidate",
    "not_reported",
    "none_vs_name",
    "unatt_vs_name",
    "name_vs_unatt",
    "variant",
    "org_vs_person",
    "wrong_person",
)


def _words(name: str) -> set[str]:
    out = set()
    for w in re.findall(r"[\w-]+", name.casefold()):
        out.add(w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return out - {"der", "die", "das", "the", "of", "des", "von", "für", "and", "und"}


def _person(name: str, choices: list) -> bool | None:
    for n, feats in choices:
        if n is not None and same_name(n, name):
            return any(f.startswith("k=person") for f in feats)
    return None


def cause(item: dict, unit: dict | None, claimant: str | None, choices: list) -> str:
    gold = item["speaker"]
    if unit is None:
        return "not_found"
    if not unit["candidate"]:
        return "not_candidate"
    if same_name(claimant, gold):
        return "right"
    if claimant is None:
        return "not_reported" if not unit["reported"] else "none_vs_name"
    if claimant == "unattributed":
        return "unatt_vs_name"
    if (gold or "").casefold() == "unattributed":
        return "name_vs_unatt"
    if _words(claimant) & _words(gold or ""):
        return "variant"
    if _person(claimant, choices) != _person(gold, choices) and _person(gold, choices) is not None:
        return "org_vs_person"
    if (_person(claimant, choices) is False) != (len(_words(gold or "")) >= 2 and " " in gold):
        return "org_vs_person" if _person(claimant, choices) is False else "wrong_person"
    return "wrong_person"


def table(articles: list[dict], model: dict | None = None) -> dict[tuple[str, str], Counter]:
    out: dict[tuple[str, str], Counter] = {}
    for a in articles:
        for it in a["items"]:
            if it.get("own_voice") or not it["checkworthy"]:
                continue
            unit = a["units"][it["unit"]] if it["unit"] is not None else None
            rec = a["records"][unit["record"]] if unit and unit["record"] is not None else None
            choices = rec["choices"] if rec else []
            claimant = unit["claimant"] if unit else None
            if model is not None and rec is not None:
                claimant = decide(model, choices)
            c = out.setdefault((a["lang"], a["split"]), Counter())
            c[cause(it, unit, claimant, choices)] += 1
            c["n"] += 1
            c["in_choices"] += any(same_name(n, it["speaker"]) for n, _ in choices)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    args = parser.parse_args()
    counts = table(load(args.data))
    cols = ("n", *CAUSES, "in_choices")
    print("| lang | split | " + " | ".join(cols) + " |")
    print("|" + "---|" * (len(cols) + 2))
    for lang in ("de", "en"):
        total: Counter = Counter()
        for split in SPLITS:
            c = counts.get((lang, split), Counter())
            total.update(c)
            print(f"| {lang} | {split} | " + " | ".join(str(c[k]) for k in cols) + " |")
        print(f"| {lang} | **all** | " + " | ".join(str(total[k]) for k in cols) + " |")


if __name__ == "__main__":
    main()
