"""Sentence-boundary F-score on our German dev split: the rule segmenter used by the claim pipeline
(claimtracker.sentences.v1) against the trained parser's boundaries.

    python training/german_pipeline/eval_sentences.py [--corpus DIR]

DIR holds dev.spacy written by convert.py (default: the train.py work directory).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere

import spacy
from spacy.scorer import Scorer
from spacy.tokens import DocBin
from spacy.training import Example

import claims.nlp.components  # noqa: F401  (registers claimtracker_sentences)
from claims.nlp.pipelines import GERMAN_MODEL


def main() -> None:
    ap = argparse.ArgumentParser()
    default = Path(tempfile.gettempdir()) / "claimtracker-german" / "corpus"
    ap.add_argument("--corpus", type=Path, default=default)
    args = ap.parse_args()
    parser_nlp = spacy.load(GERMAN_MODEL, exclude=["ner", "morphologizer"])
    rules_nlp = spacy.blank("de")
    rules_nlp.add_pipe("claimtracker_sentences")
    gold = [
        d
        for d in DocBin().from_disk(args.corpus / "dev.spacy").get_docs(rules_nlp.vocab)
        if d.has_annotation("DEP")  # the treebank docs: sentence boundaries are annotated
    ]
    for name, nlp in (("rules (claim pipeline)", rules_nlp), ("parser", parser_nlp)):
        examples = [Example(nlp(g.text), g) for g in gold]
        s = Scorer.score_spans(examples, "sents")
        print(
            f"{name}: P {s['sents_p']:.3f} R {s['sents_r']:.3f} F {s['sents_f']:.3f} "
            f"on {len(gold)} dev docs"
        )


if __name__ == "__main__":
    main()
