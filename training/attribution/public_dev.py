"""Readers of the public dev sets evaluate.py scores reported speech on: German SpkAtt 2023
Wikinews and English PolNeAR (their dev parts only).

Split from evaluate.py, which scores: each reader yields (text, sentences [(start, end)],
reported sentence indices, sources [(sentence, start, end)]) per document.
"""

from __future__ import annotations

import glob
import json
import os
from pathlib import Path

from claims.nlp.pipelines import claim_pipeline

SHARED = Path(os.environ.get("CLAIMTRACKER_SHARED") or os.environ.get("SHARED_DIR", "/work/shared"))


SPKATT = SHARED / "datasets/attribution/spkatt2023-wikinews-de/data/dev/task2-pretty"


POLNEAR = SHARED / "datasets/attribution/polnear-en/data/dev"


def spkatt_docs(limit: int | None):
    for path in sorted(glob.glob(str(SPKATT / "*.json")))[:limit]:
        d = json.loads(Path(path).read_text())
        offsets, parts, pos, sentences = {}, [], 0, []
        for sent in d["Sentences"]:
            start = pos
            for k, tok in enumerate(sent["Tokens"]):
                offsets[(sent["SentenceId"], k)] = (pos, pos + len(tok))
                parts.append(tok)
                pos += len(tok) + 1
            sentences.append((start, pos - 1))
        text = " ".join(parts)
        reported, sources = set(), []
        for a in d["Annotations"]:
            msg = {int(x.split(":")[0]) for x in a["Message"]}
            reported |= msg
            src = [tuple(map(int, x.split(":"))) for x in a["Source"]]
            if src and {s for s, _ in src} <= msg:
                chars = [offsets[t] for t in src]
                sources.append((src[0][0], min(c[0] for c in chars), max(c[1] for c in chars)))
        yield text, sentences, reported, sources


def polnear_docs(limit: int | None):
    seen = set()
    for path in sorted(glob.glob(str(POLNEAR / "attributions/*.ann"))):
        article = Path(path).name.rsplit("_", 1)[0]
        if article in seen:  # several annotators: use the first annotation
            continue
        seen.add(article)
        if limit and len(seen) > limit:
            break
        text = (POLNEAR / "text" / f"{article}.txt").read_text()
        spans, events = {}, []
        for line in Path(path).read_text().splitlines():
            cols = line.split("\t")
            if cols[0].startswith("T"):
                kind, *rest = cols[1].split(" ")
                pieces = " ".join(rest).split(";")
                bounds = [tuple(map(int, p.split())) for p in pieces]
                spans[cols[0]] = (kind, bounds[0][0], bounds[-1][1])
            elif cols[0].startswith("E"):
                events.append(dict(part.split(":") for part in cols[1].split()))
        nlp = claim_pipeline("en")
        doc = nlp.get_pipe("sentences")(nlp.make_doc(text))
        sentences = [(s.start_char, s.end_char) for s in doc.sents if s.text.strip()]

        reported, sources = set(), []
        for ev in events:
            if "Content" not in ev or ev["Content"] not in spans:
                continue
            _, cs, ce = spans[ev["Content"]]
            ks = {k for k, (s, e) in enumerate(sentences) if s < ce and cs < e}
            reported |= ks
            if ev.get("Source") in spans:
                _, ss, se = spans[ev["Source"]]
                k = next((k for k, (s, e) in enumerate(sentences) if s <= ss < e), -1)
                if k in ks:
                    sources.append((k, ss, se))
        yield text, sentences, reported, sources
