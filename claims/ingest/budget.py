"""The work one article may cost claim extraction, checked before its text reaches spaCy.

spaCy's cost is not linear in every input: its tokenizer strips affixes from a run of characters
without whitespace one at a time (10 KB of `"` took 20-34 s, 30 KB 210 s), and the parser and our
attribution rules grow faster than linearly with the tokens of one sentence. A text outside this
budget fails with a readable reason instead of stalling a worker (and being requeued by the sweep).

The budget (figures in bench/results/extraction-budget.md): at most MAX_CHARS characters,
MAX_TOKENS tokens, MAX_SENTENCE_TOKENS tokens between two sentence breaks, no run without
whitespace longer than MAX_RUN_CHARS, and the runs longer than LONG_RUN_CHARS together within
MAX_LONG_RUN_COST (the sum of their squared lengths, the tokenizer's cost). Counts are
approximations made with regular expressions (linear time), not spaCy's own tokens.
"""

from __future__ import annotations

import re

MAX_CHARS = 100_000  # ~16,000 words of news text: ~13 s of extraction on one core
MAX_TOKENS = 25_000
MAX_SENTENCE_TOKENS = 500  # a long legal sentence has ~150
MAX_RUN_CHARS = 1_000  # long URLs fit; ~0.3 s of tokenizing for a run of quotes this long
LONG_RUN_CHARS = 64  # longer than any word, German compounds included
MAX_LONG_RUN_COST = 10_000_000  # e.g. 10 runs of 1,000 characters, or 440 URLs of 150

_RUN = re.compile(r"\S+")
_TOKEN = re.compile(r"\w+|[^\w\s]")
# A sentence break as the sentence splitters see one: end punctuation before whitespace, or a
# line break. Approximate on purpose: it only has to find texts no sentence splitter can cut.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…。])\s+|\n")


class TextBudgetError(Exception):
    """`reason` is the article's error_reason; `message` is shown to users and partners."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def check_text_budget(text: str) -> None:
    """Raise TextBudgetError when `text` is outside the budget of one article."""
    if len(text) > MAX_CHARS:
        raise TextBudgetError(
            "text_too_long",
            f"The text is too long for claim extraction ({len(text):,} characters; "
            f"at most {MAX_CHARS:,}).",
        )
    long_run_cost = 0
    for match in _RUN.finditer(text):
        size = match.end() - match.start()
        if size > MAX_RUN_CHARS:
            raise TextBudgetError(
                "text_unsplittable",
                f"The text has {size:,} characters without a space (at most "
                f"{MAX_RUN_CHARS:,}); it cannot be split into words.",
            )
        if size > LONG_RUN_CHARS:
            long_run_cost += size * size
    if long_run_cost > MAX_LONG_RUN_COST:
        raise TextBudgetError(
            "text_unsplittable",
            "The text has too many long stretches without a space to be split into words.",
        )
    tokens = 0
    for sentence in _SENTENCE_BREAK.split(text):
        count = sum(1 for _ in _TOKEN.finditer(sentence))
        if count > MAX_SENTENCE_TOKENS:
            raise TextBudgetError(
                "text_unsplittable",
                f"The text has a passage of about {count:,} words and signs without a sentence "
                f"break (at most {MAX_SENTENCE_TOKENS:,}); it cannot be split into sentences.",
            )
        tokens += count
        if tokens > MAX_TOKENS:
            raise TextBudgetError(
                "text_too_long",
                f"The text has too many words for claim extraction (at most {MAX_TOKENS:,}).",
            )
