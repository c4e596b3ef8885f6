"""Train and score the article-level source resolver (claims/nlp/attribution_resolver.py).

    python -m training.attribution.resolver --data /tmp/res --loso      # leave one split out
    python -m training.attribution.resolver --data /tmp/res --ship      # train on all, write json

``--data`` holds ``data_<split>.json`` dumps of ``training.attribution.resolver_data`` for the
spent splits. A unit's label is the gold speaker of the reported-speech sentence it covers (or
None for a gold claim in the article's own voice); each of its choices is one example (does this
choice name the gold claimant exactly, ``same_name``), and at run time the best-scored choice wins.
Scores are the harness's claimant metric (``claimant_cw``): a gold check-worthy reported-speech
sentence is right when its unit is a candidate and names the gold speaker; a sentence the pipeline
does not find or keep as a candidate counts wrong, for the rules and the resolver alike.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from training.extraction.evaluate import same_name

SPLITS = ("dev", "heldout", "final", "blind", "fresh")
OUT = Path(__file__).resolve().parents[2] / "claims" / "nlp" / "models" / "attribution"


def load(data: Path, splits=SPLITS) -> list[dict]:
    out = []
    for s in splits:
        out.extend(json.loads((data / f"data_{s}.json").read_text(encoding="utf-8")))
    return out


def labelled_units(articles: list[dict]):
    """(choices, gold speaker) per gold-labelled unit; reported speech wins over own voice."""
    for a in articles:
        gold: dict[int, dict] = {}
        for it in a["items"]:
            if it["unit"] is None:
                continue
            u = a["units"][it["unit"]]
            if u["record"] is None:
                continue
            if it["unit"] in gold and not gold[it["unit"]].get("own_voice"):
                continue
            gold[it["unit"]] = it
        for k, it in gold.items():
            rec = a["records"][a["units"][k]["record"]]
            yield rec, it["speaker"], bool(it.get("own_voice"))


def fit(articles: list[dict], c: float = 1.0, mode: str = "pointwise", scope: str = "all") -> dict:
    """Weights {feature: w} and bias, from the units whose gold claimant is among the choices."""
    from sklearn.linear_model import LogisticRegression

    rows, ys, groups = [], [], []
    for g, (rec, speaker, own) in enumerate(labelled_units(articles)):
        if scope == "fill" and rec["rules"] is not None:
            continue  # "fill": the resolver only names a claimant where the rules named none
        choices = rec["choices"]
        labels = [(name is None) if own else same_name(name, speaker) for name, _ in choices]
        if not any(labels):
            continue
        for (_, feats), y in zip(choices, labels, strict=True):
            rows.append(feats)
            ys.append(int(y))
            groups.append(g)
    vocab = {f: i for i, f in enumerate(sorted({f for r in rows for f in r}))}
    if mode == "softmax":
        w, b = _softmax_fit(rows, ys, groups, vocab, l2=1.0 / c)
        return {
            "weights": {f: float(w[i]) for f, i in vocab.items() if abs(w[i]) > 1e-6},
            "bias": b,
        }
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for r in rows:
        indices.extend(vocab[f] for f in r)
        indptr.append(len(indices))
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocab)))
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit(x, ys)
    coef = lr.coef_[0]
    return {
        "weights": {f: round(float(coef[i]), 5) for f, i in vocab.items() if abs(coef[i]) > 1e-6},
        "bias": float(lr.intercept_[0]),
    }


def _softmax_fit(rows, ys, groups, vocab, l2: float, epochs: int = 60) -> tuple[np.ndarray, float]:
    """A conditional logit: softmax over each unit's choices, plain gradient ascent (Adagrad)."""
    w = np.zeros(len(vocab))
    g2 = np.full(len(vocab), 1e-8)
    units: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        units.setdefault(g, []).append(i)
    idx = [np.array([vocab[f] for f in r], dtype=np.int64) for r in rows]
    order = list(units)
    rng = random.Random(0)
    n = len(order)
    for _ in range(epochs):
        rng.shuffle(order)
        for g in order:
            members = units[g]
            z = np.array([w[idx[i]].sum() for i in members])
            p = np.exp(z - z.max())
            p /= p.sum()
            target = np.array([ys[i] for i in members], dtype=float)
            target /= target.sum()
            grad = np.zeros(len(vocab))
            for k, i in enumerate(members):
                np.add.at(grad, idx[i], target[k] - p[k])
            grad -= l2 * w / n
            g2 += grad * grad
            w += 0.5 * grad / np.sqrt(g2)
    return w, 0.0


def decide(model: dict, choices: list) -> str | None:
    w, b = model["weights"], model["bias"]
    best = max(choices, key=lambda c: b + sum(w.get(f, 0.0) for f in c[1]))
    return best[0]


def score_articles(
    articles: list[dict], model: dict | None, scope: str = "all"
) -> list[tuple[int, int, int, int]]:
    """Per article: (right, n) on check-worthy reported speech, (kept None, n) on own voice."""
    out = []
    for a in articles:
        chosen = {}
        for k, u in enumerate(a["units"]):
            rec = a["records"][u["record"]] if u["record"] is not None else None
            if model is None or rec is None or (scope == "fill" and rec["rules"] is not None):
                chosen[k] = u["claimant"]
            else:
                chosen[k] = decide(model, a["records"][u["record"]]["choices"])
        right = n = own_ok = own_n = 0
        for it in a["items"]:
            u = a["units"][it["unit"]] if it["unit"] is not None else None
            if it.get("own_voice"):
                own_n += 1
                own_ok += bool(u is not None and chosen[it["unit"]] is None)
                continue
            if not it["checkworthy"]:
                continue
            n += 1
            right += bool(
                u is not None and u["candidate"] and same_name(chosen[it["unit"]], it["speaker"])
            )
        out.append((right, n, own_ok, own_n))
    return out


def bootstrap(base, new, reps: int = 2000, seed: int = 0):
    """Article bootstrap: interval of ``new`` and of the paired difference new - base."""
    rng = random.Random(seed)
    k = len(new)
    vals, diffs = [], []
    for _ in range(reps):
        pick = [rng.randrange(k) for _ in range(k)]
        n = sum(new[i][1] for i in pick) or 1
        v = sum(new[i][0] for i in pick) / n
        d = v - sum(base[i][0] for i in pick) / n
        vals.append(v)
        diffs.append(d)
    vals.sort()
    diffs.sort()
    lo, hi = int(0.025 * reps), int(0.975 * reps) - 1
    return (vals[lo], vals[hi]), (diffs[lo], diffs[hi])


def fmt(rows) -> str:
    n = sum(r[1] for r in rows)
    return f"{sum(r[0] for r in rows) / max(n, 1):.2f} (n {n})"


def loso(
    data: Path, c: float, mode: str, scope: str = "all", langs=("de", "en"), train_langs="same"
) -> dict:
    allarts = load(data)
    report = {}
    for lang in langs:
        pooled_base, pooled_new = [], []
        for held in SPLITS:
            test = [a for a in allarts if a["split"] == held and a["lang"] == lang]
            pool = [a for a in allarts if a["split"] != held]
            if train_langs == "same":
                train = [a for a in pool if a["lang"] == lang]
            elif train_langs == "other":
                train = [a for a in pool if a["lang"] != lang]
            else:
                train = pool
            model = fit(train, c=c, mode=mode, scope=scope)
            base, new = score_articles(test, None), score_articles(test, model, scope)
            pooled_base += base
            pooled_new += new
            ci, dci = bootstrap(base, new)
            own_b = sum(r[2] for r in base), sum(r[3] for r in base)
            own_n = sum(r[2] for r in new), sum(r[3] for r in new)
            report[f"{lang} {held}"] = (
                f"rules {fmt(base)} -> resolver {fmt(new)} [{ci[0]:.2f}-{ci[1]:.2f}] "
                f"diff [{dci[0]:+.3f}, {dci[1]:+.3f}]; own voice kept {own_b[0]}/{own_b[1]} -> "
                f"{own_n[0]}/{own_n[1]}"
            )
        ci, dci = bootstrap(pooled_base, pooled_new)
        own_b = sum(r[2] for r in pooled_base), sum(r[3] for r in pooled_base)
        own_n = sum(r[2] for r in pooled_new), sum(r[3] for r in pooled_new)
        report[f"{lang} pooled"] = (
            f"rules {fmt(pooled_base)} -> resolver {fmt(pooled_new)} [{ci[0]:.2f}-{ci[1]:.2f}] "
            f"diff [{dci[0]:+.3f}, {dci[1]:+.3f}]; own voice kept {own_b[0]}/{own_b[1]} -> "
            f"{own_n[0]}/{own_n[1]}"
        )
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--mode", default="pointwise", choices=("pointwise", "softmax"))
    parser.add_argument("--scope", default="all", choices=("all", "fill"))
    parser.add_argument("--train-langs", default="same", choices=("same", "other", "both"))
    parser.add_argument("--loso", action="store_true")
    parser.add_argument("--ship", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.loso:
        report = loso(args.data, args.c, args.mode, args.scope, train_langs=args.train_langs)
        for key, line in report.items():
            print(key, line, flush=True)
    if args.ship:
        arts = load(args.data)
        for lang in ("de", "en"):
            model = fit(
                [a for a in arts if a["lang"] == lang], c=args.c, mode=args.mode, scope=args.scope
            )
            model["meta"] = {
                "c": args.c,
                "mode": args.mode,
                "scope": args.scope,
                "splits": list(SPLITS),
            }
            path = args.out / f"resolver_{lang}.json"
            path.write_text(
                json.dumps(model, ensure_ascii=False, sort_keys=True, indent=0), encoding="utf-8"
            )
            print("wrote", path, len(model["weights"]), "weights")


if __name__ == "__main__":
    main()
