"""Convert the shared German treebank and NER data into spaCy DocBin files (train/dev).

Sources (see ../shared/datasets/german/README.md and docs/model-card-german-pipeline.md):
UD German-GSD dev+test and UD German-PUD (POS, morphology, dependencies), Universal NER German-PUD,
GermEval 2014 NER and DFKI SmartData (PER/ORG/LOC). Every 8th unit of each source goes to our own
dev split, so dev numbers cover every source; nothing here is a public test split of our task.

Docs carry only the annotation their source has: NER-only docs leave POS/deps unset (spaCy treats
them as missing), syntax-only docs from UD-GSD leave entities unset.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin, Span

DEV_EVERY = 8
SENTS_PER_DOC = 8  # several sentences per doc so the parser learns sentence boundaries

SMARTDATA_LABELS = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
}
GERMEVAL_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}  # OTH and -deriv/-part are left out


def read_conllu(path: Path) -> Iterator[tuple[str, list[dict]]]:
    """Yield (sent_id, words), multiword tokens ("am" = an + dem) merged back to surface tokens."""
    sent_id, rows = "", []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("# sent_id"):
            sent_id = line.split("=", 1)[1].strip()
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if rows:
                yield sent_id, _merge_multiword(rows)
            rows = []
        else:
            rows.append(line.split("\t"))


def _merge_multiword(rows: list[list[str]]) -> list[dict]:
    ranges = {}
    for r in rows:
        if "-" in r[0]:
            a, b = (int(x) for x in r[0].split("-"))
            ranges[a] = (b, r[1], r[9])
    words: list[dict] = []
    new_index: dict[int, int] = {}
    i = 0
    plain = [r for r in rows if r[0].isdigit()]
    by_id = {int(r[0]): r for r in plain}
    while i < len(plain):
        wid = int(plain[i][0])
        if wid in ranges:
            end, form, misc = ranges[wid]
            parts = [by_id[k] for k in range(wid, end + 1)]
            # The part whose head lies outside the range carries the merged token's syntax.
            head_part = next((p for p in parts if not wid <= int(p[6]) <= end), parts[0])
            for k in range(wid, end + 1):
                new_index[k] = len(words)
            words.append(
                {
                    "form": form,
                    "pos": head_part[3],
                    "morph": head_part[5],
                    "head": int(head_part[6]),
                    "dep": head_part[7],
                    "misc": misc,
                }
            )
            i += end - wid + 1
        else:
            r = plain[i]
            new_index[wid] = len(words)
            words.append(
                {
                    "form": r[1],
                    "pos": r[3],
                    "morph": r[5],
                    "head": int(r[6]),
                    "dep": r[7],
                    "misc": r[9],
                }
            )
            i += 1
    for w in words:
        w["head"] = -1 if w["head"] == 0 else new_index[w["head"]]
    return words


def conllu_docs(nlp, path: Path) -> list[list[Doc]]:
    """One Doc per sentence (grouped later)."""
    out = []
    for _sid, words in read_conllu(path):
        forms = [w["form"] for w in words]
        spaces = ["SpaceAfter=No" not in w["misc"] for w in words]
        heads = [i if w["head"] == -1 else w["head"] for i, w in enumerate(words)]
        deps = ["ROOT" if w["head"] == -1 else w["dep"].split(":")[0] for w in words]
        doc = Doc(
            nlp.vocab,
            words=forms,
            spaces=spaces,
            pos=[w["pos"] for w in words],
            morphs=[("" if w["morph"] == "_" else w["morph"]) for w in words],
            heads=heads,
            deps=deps,
        )
        out.append(doc)
    return out


def iob_docs(nlp, path: Path, token_col: int, tag_col: int, labels: dict[str, str]) -> list[Doc]:
    docs, toks, tags = [], [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if toks:
                docs.append(_iob_doc(nlp, toks, tags, labels))
            toks, tags = [], []
            continue
        cols = line.split("\t")
        toks.append(cols[token_col])
        tags.append(cols[tag_col])
    return docs


def _iob_doc(nlp, toks: list[str], tags: list[str], labels: dict[str, str]) -> Doc:
    ents, cur = [], None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, lab = tag.partition("-")
        mapped = labels.get(lab)
        if cur and (prefix != "I" or mapped != cur[2]):
            ents.append(cur)
            cur = None
        if prefix == "B" and mapped:
            cur = [i, i + 1, mapped]
        elif prefix == "I" and cur:
            cur[1] = i + 1
    doc = Doc(nlp.vocab, words=toks)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def smartdata_docs(nlp, path: Path) -> list[Doc]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["source"] == "tweet":  # we analyse news, and tweets carry noisy annotation
            continue
        doc = nlp.make_doc(rec["text"])
        spans = []
        for start, end, label in rec["entities"]:
            lab = SMARTDATA_LABELS.get(label)
            if not lab:
                continue
            span = doc.char_span(start, end, label=lab, alignment_mode="expand")
            # Entities must not start or end on whitespace or punctuation (the NER oracle fails).
            while span is not None and len(span) and (span[0].is_space or span[0].is_punct):
                span = doc[span.start + 1 : span.end]
            while span is not None and len(span) and (span[-1].is_space or span[-1].is_punct):
                span = doc[span.start : span.end - 1]
            if span is not None and len(span) and not any(t.is_space for t in span):
                spans.append(Span(doc, span.start, span.end, label=lab))
        spans = spacy.util.filter_spans(spans)
        doc.ents = spans
        docs.append(doc)
    return docs


def group(docs: list[Doc], n: int) -> list[Doc]:
    return [Doc.from_docs(docs[i : i + n]) for i in range(0, len(docs), n)]


def split(units: list, train: list, dev: list) -> None:
    for i, u in enumerate(units):
        (dev if i % DEV_EVERY == 0 else train).append(u)


# ../shared beside the project root (the shared material is never committed)
DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "german"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    nlp = spacy.blank("de")
    d = args.data
    train: list[Doc] = []
    dev: list[Doc] = []
    for f in [
        "ud-gsd/de_gsd-ud-dev.conllu",
        "ud-gsd/de_gsd-ud-test.conllu",
        "ud-pud/de_pud-ud-test.conllu",
    ]:
        split(group(conllu_docs(nlp, d / f), SENTS_PER_DOC), train, dev)
    split(
        group(
            iob_docs(
                nlp,
                d / "uner-pud/de_pud-ud-test.iob2",
                1,
                2,
                {"PER": "PER", "ORG": "ORG", "LOC": "LOC"},
            ),
            SENTS_PER_DOC,
        ),
        train,
        dev,
    )
    for f in ["germeval2014-ner/NER-de-dev.tsv", "germeval2014-ner/NER-de-test.tsv"]:
        split(group(iob_docs(nlp, d / f, 1, 2, GERMEVAL_LABELS), SENTS_PER_DOC), train, dev)
    for f in ["smartdata/train.jsonl", "smartdata/test.jsonl"]:
        split(smartdata_docs(nlp, d / f), train, dev)
    random.Random(13).shuffle(train)
    args.out.mkdir(parents=True, exist_ok=True)
    DocBin(docs=train, store_user_data=False).to_disk(args.out / "train.spacy")
    DocBin(docs=dev, store_user_data=False).to_disk(args.out / "dev.spacy")
    print(f"train docs {len(train)}, dev docs {len(dev)} -> {args.out}")


if __name__ == "__main__":
    main()
