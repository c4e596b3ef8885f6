"""Variant 10 of round "resolver": the resolver overrules the rules only when its best choice
scores ``margin`` above the rules' answer; the margin is picked per outer fold by an inner
leave-one-split-out over that fold's four training splits (nested: the held-out split never
chooses it). Ties go to the larger margin (closer to the rules).

    python -m training.attribution.resolver_margin --data /tmp/res
"""

from __future__ import annotations

import argparse
from pathlib import Path

from training.attribution import resolver as R
from training.extraction.evaluate import same_name

MARGINS = (0.0, 1.0, 2.0, 4.0, float("inf"))


def _decide(model: dict, rec: dict, margin: float) -> str | None:
    w, b = model["weights"], model["bias"]
    scores = [b + sum(w.get(f, 0.0) for f in feats) for _, feats in rec["choices"]]
    names = [n for n, _ in rec["choices"]]
    best = max(range(len(scores)), key=scores.__getitem__)
    rules = rec["rules"]
    at = next(
        (
            i
            for i, n in enumerate(names)
            if (n is None and rules is None)
            or (n is not None and rules is not None and n.casefold() == rules.casefold())
        ),
        None,
    )
    if at is None or scores[best] - scores[at] > margin:
        return names[best]
    return names[at]


def score(articles: list[dict], model: dict | None, margin: float) -> list[tuple[int, ...]]:
    """Per article: (right, n) on check-worthy reported speech, (kept None, n) on own voice."""
    out = []
    for a in articles:
        chosen = {}
        for k, u in enumerate(a["units"]):
            rec = a["records"][u["record"]] if u["record"] is not None else None
            keep = model is None or rec is None
            chosen[k] = u["claimant"] if keep else _decide(model, rec, margin)
        right = n = own = own_n = 0
        for it in a["items"]:
            u = a["units"][it["unit"]] if it["unit"] is not None else None
            if it.get("own_voice"):
                own_n += 1
                own += bool(u is not None and chosen[it["unit"]] is None)
            elif it["checkworthy"]:
                n += 1
                hit = u is not None and u["candidate"]
                right += bool(hit and same_name(chosen[it["unit"]], it["speaker"]))
        out.append((right, n, own, own_n))
    return out


def _line(base, new) -> str:
    ci, d = R.bootstrap(base, new)
    own = (sum(r[2] for r in base), sum(r[2] for r in new), sum(r[3] for r in new))
    return (
        f"{R.fmt(base)} -> {R.fmt(new)} [{ci[0]:.2f}-{ci[1]:.2f}] "
        f"diff [{d[0]:+.3f}, {d[1]:+.3f}]; own voice kept {own[0]} -> {own[1]} of {own[2]}"
    )


def nested(arts: list[dict], lang: str) -> None:
    pooled_base, pooled_new = [], []
    for held in R.SPLITS:
        train_splits = [s for s in R.SPLITS if s != held]
        inner: dict[float, list] = {m: [] for m in MARGINS}
        for inner_held in train_splits:
            fit_on = [
                a
                for a in arts
                if a["lang"] == lang and a["split"] in train_splits and a["split"] != inner_held
            ]
            model = R.fit(fit_on, c=0.1)
            test = [a for a in arts if a["lang"] == lang and a["split"] == inner_held]
            for m in MARGINS:
                inner[m] += score(test, model, m)
        acc = {m: sum(r[0] for r in v) / max(sum(r[1] for r in v), 1) for m, v in inner.items()}
        margin = max(MARGINS, key=lambda m: (round(acc[m], 6), m))
        model = R.fit([a for a in arts if a["lang"] == lang and a["split"] in train_splits], c=0.1)
        test = [a for a in arts if a["lang"] == lang and a["split"] == held]
        base, new = score(test, None, 0.0), score(test, model, margin)
        pooled_base += base
        pooled_new += new
        print(lang, held, "margin", margin, _line(base, new), flush=True)
    print(lang, "pooled", _line(pooled_base, pooled_new), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    arts = R.load(parser.parse_args().data)
    for lang in ("de", "en"):
        nested(arts, lang)


if __name__ == "__main__":
    main()
