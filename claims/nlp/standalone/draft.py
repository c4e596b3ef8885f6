"""A sentence being rewritten: its tokens in order, each with its (possibly replaced) text."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

_NO_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)\]”’])")
_OPENING = set('„“«»("‚‘[')


_PAIRS = {"„": "“", "“": "”", '"': '"', "»": "«", "«": "»"}


def _balance_quotes(core: str) -> str:
    """A quotation running over several sentences leaves one mark open in each: close it (or
    open it) so the standalone text quotes whole words."""
    marks = [c for c in core if c in '„“”"»«']
    if len(marks) % 2 == 0:
        return core
    first = marks[0]
    at = core.index(first)
    # a closing mark hangs on the word before it: 'Digitalisierung."', 'verhindern“ (Az.'
    closing = at > 0 and not core[at - 1].isspace() and not core[at + 1 : at + 2].isalnum()
    if len(marks) == 1 and closing:
        opener = {"“": "„", "”": "“", '"': '"', "«": "»", "»": "«"}.get(first, '"')
        return opener + core
    return core + _PAIRS.get(first, '"')


class Draft:
    """The span's tokens (doc indices) in output order, with replacement texts; a prefix and a
    suffix. Deleting a token removes it from the order; nothing ever edits the Doc."""

    def __init__(self, span: Span):
        self.span = span
        toks = [t for t in span if not t.is_space]
        self.tokens: dict[int, Token] = {t.i: t for t in toks}
        self.text: dict[int, str] = {t.i: t.text for t in toks}
        self.order: list[int] = [t.i for t in toks]
        self.prefix = ""  # "Laut Donald Trump", "According to Tim Cook,"
        self.suffix = ""  # ", so Donald Trump"

    def tok(self, i: int) -> Token:
        return self.tokens[i]

    def delete(self, indices) -> None:
        gone = set(indices)
        self.order = [i for i in self.order if i not in gone]

    def body(self, *, drop_final: bool = True) -> list[int]:
        """The tokens in order, without the final punctuation."""
        out = list(self.order)
        while drop_final and out and self.tokens[out[-1]].text in {".", "!", "?", "…"}:
            out.pop()
        return out

    def final_punct(self) -> str:
        if self.order and self.tokens[self.order[-1]].text in {".", "!", "?", "…"}:
            return self.tokens[self.order[-1]].text
        return ""

    def render(self) -> str:
        parts: list[str] = []
        body = self.body()
        for k, i in enumerate(body):
            tok = self.tokens[i]
            nxt = body[k + 1] if k + 1 < len(body) else None
            # Keep the original spacing between neighbours that were neighbours in the text;
            # elsewhere a single space (a quote that opened stays attached to its word).
            if nxt is not None and nxt == i + 1:
                ws = tok.whitespace_
            elif tok.text in _OPENING and not tok.whitespace_:
                ws = ""
            else:
                ws = " "
            parts.append(self.text[i] + (ws if nxt is not None else ""))
        core = "".join(parts).strip()
        core = re.sub(r"^[,;:–—-]\s*", "", core)
        core = re.sub(r"\s*[,;:–—-]$", "", core)
        core = _balance_quotes(core)
        text = " ".join(p for p in (self.prefix, core) if p) + self.suffix
        end = self.final_punct() or "."
        if text.endswith(("”", '"', "“", "«", "»")) and text[:-1].rstrip().endswith(","):
            text = text[:-1].rstrip()[:-1] + "." + text[-1]  # '"…,"' closed the quote
            end = ""
        elif text.endswith(("”", '"', "“", "«", "»")) and text[-2:-1] in ".!?":
            end = ""
        elif text.endswith(".") and end == ".":
            end = ""  # ", so Bernhard H."
        text = _NO_SPACE_BEFORE.sub(r"\1", text + end)
        text = re.sub(r"\s{2,}", " ", text).strip()
        return text[:1].upper() + text[1:] if text else text
