"""An article-level source resolver: for each unit, choose its claimant among the article's
introduced people and organisations (full forms), "unattributed" and None (the article's voice).

Why: five unseen splits in a row showed that rules tuned on errors read in development articles
do not carry to new articles (docs/model-card-claim-extraction.md). The rules' answer stays one
input; a small linear model trained on our annotated articles weighs it against the other names
in play: mentions in the sentence (and the shipped source ranker's score for them), the names of
the sentences just before, the last speaker, the article's most frequent names, quotation marks,
first person, Konjunktiv I. Choices are scored one by one (a logistic regression over sparse
binary features, weights in ``models/attribution/resolver_<lang>.json``) and the best one wins.

Only dictionary look-ups run here; training is ``training/attribution/resolver.py``. No weights
are shipped: scored leave one split out over the spent annotated splits, no variant beat the
rules beyond the article bootstrap (docs/model-card-claim-extraction.md, round "resolver"), so
:func:`resolve` returns the rules' answer unchanged unless a weights folder is given
(``CLAIMTRACKER_RESOLVER_DIR``, for evaluation) or ``RECORD`` collects training data.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Span

from claims.nlp.attribution_model import model as source_model
from claims.nlp.carryover import first_person
from claims.nlp.fullest_form import fullest_form
from claims.nlp.lexicon import QUOTE_CHARS, ROLE_SUFFIX
from claims.nlp.people import DocState, resolve_name
from claims.nlp.speaker_names import UNATTRIBUTED, speaker_from_tokens

MODEL_DIR = Path(__file__).resolve().parent / "models" / "attribution"
WINDOW = 120  # tokens before the unit whose person mentions are choices ("he" two sentences on)

# Training and evaluation collect every unit's choices here (a list) instead of deciding.
RECORD: list | None = None


@dataclass
class Choice:
    name: str | None
    feats: set[str] = field(default_factory=set)


def _kind(name: str | None, people: set[str]) -> str:
    if name is None:
        return "none"
    if name == UNATTRIBUTED:
        return "unatt"
    return "person" if name in people else "other"


def _b(x: float, edges: tuple[float, ...]) -> str:
    for k, e in enumerate(edges):
        if x < e:
            return str(k)
    return str(len(edges))


def _word(doc, i: int) -> str:
    """A function word or punctuation mark next to a mention (names and nouns are not kept)."""
    if i < 0 or i >= len(doc):
        return "<edge>"
    tok = doc[i]
    if tok.is_space:
        return "<nl>"
    if tok.text[:1].isupper() and tok.pos_ in ("PROPN", "NOUN"):
        return "<Name>"
    return tok.lower_ if len(tok.text) < 15 else "<long>"


@dataclass
class Context:
    """What the resolver remembers between the units of one article."""

    prev_claimant: str | None = None
    prev_reported: bool = False
    history: list[str] = field(default_factory=list)  # the rules' named claimants, newest last
    names: dict[int, str] = field(default_factory=dict)  # mention start -> resolved full name
    counts: dict[str, int] = field(default_factory=dict)  # full name -> mentions in the article
    forms: dict[str, str] = field(default_factory=dict)  # claimant -> the article's fullest form


def _fullest(name: str, state: DocState, ctx: Context, people: set[str]) -> str:
    found = ctx.forms.get(name)
    if found is None:
        found = ctx.forms[name] = fullest_form(name, state.ents, state.lang, people=people)
    return found


def _prepare(state: DocState, ctx: Context, people: set[str]) -> None:
    for m in state.people:
        name = _fullest(resolve_name(m.name, state, before=m.start + 1), state, ctx, people)
        ctx.names[m.start] = name
        ctx.counts[name] = ctx.counts.get(name, 0) + 1


def choices(
    sent: Span,
    state: DocState,
    quotes: list[bool],
    rules: str | None,
    reported: bool,
    konj: bool,
    ctx: Context,
    cue: bool = False,
) -> list[Choice]:
    """Every claimant the unit could have, with its features: the rules' answer, the article's
    people mentioned before the unit, in it or just after it, the organisations in it, the names
    the source ranker reads in it, the speakers of the preceding units, "unattributed", None."""
    doc = sent.doc
    lang = state.lang
    people = {m.name for m in state.people}
    if not ctx.names and state.people:
        _prepare(state, ctx, people)
    found: dict[str, Choice] = {}

    def add(name: str | None, *feats: str) -> Choice:
        key = "<none>" if name is None else name.casefold()
        c = found.get(key)
        if c is None:
            c = found[key] = Choice(name)
        c.feats.update(feats)
        return c

    add(None)
    add(UNATTRIBUTED)
    phrase = state.phrase
    if rules is not None:
        # the words around the phrase the rules read it from: "laut der Polizei", "sagte Maas"
        inside = [t for t in phrase if sent.start <= t.i < sent.end]
        where = ["rules", f"rules_cue={cue}", f"rules_phrase={bool(inside)}"]
        if inside:
            where += [f"rules_prev={_word(doc, inside[0].i - 1)}"]
            where += [f"rules_next={_word(doc, inside[-1].i + 1)}"]
        add(rules, *where)
    words = [t for t in sent if not t.is_punct and not t.is_space]
    n_words = max(len(words), 1)
    quoted = sum(quotes[t.i] for t in words) / n_words
    qmark = any(t.text in QUOTE_CHARS for t in sent)
    first_quote = next((t.i for t in sent if t.text in QUOTE_CHARS), None)
    seen_before: dict[str, int] = {}  # name -> mentions before the unit
    for m in state.people:
        if m.start >= sent.end + WINDOW // 3:
            break
        name = ctx.names.get(m.start) or m.name
        if m.start < sent.start:
            seen_before[name] = seen_before.get(name, 0) + 1
            c = add(name, "before")
            c.feats.discard(next((f for f in c.feats if f.startswith("dist=")), ""))
            c.feats.add(f"dist={_b(sent.start - m.start, (20, 50, 120, 300, 800))}")
        elif m.start < sent.end:
            pos = (m.start - sent.start) / n_words
            feats = ["insent", f"insent_pos={_b(pos, (0.01, 0.2, 0.5, 0.8))}"]
            if quotes[m.start]:
                feats.append("insent_quoted")
            if first_quote is not None:
                feats.append("before_quote" if m.start < first_quote else "after_quote")
            nxt = doc[m.start + len(m.tokens)] if m.start + len(m.tokens) < len(doc) else None
            if nxt is not None and nxt.text in (",", "("):
                feats.append("apposition")
            if m.role:
                feats.append("has_role")
            after = m.start + len(m.tokens)
            feats += [f"prev={_word(doc, m.start - 1)}", f"next={_word(doc, after)}"]
            add(name, *feats)
        else:
            add(name, "after")
    for c in found.values():
        if c.name in seen_before:
            c.feats.add(f"seen={_b(seen_before[c.name], (1, 2, 4, 8))}")
    # the shipped source ranker's view of the unit's mentions, and its detector
    ranker = source_model(lang)
    detected = ranker.reported_prob(sent) if ranker is not None else 0.0
    if ranker is not None and (reported or qmark or konj or detected >= 0.3):
        scored = sorted(ranker.scored(sent), key=lambda x: -x[0])[:3]
        for rank, (prob, cand) in enumerate(scored):
            name = speaker_from_tokens(list(doc[cand.start : cand.end]), state, sent, quotes)
            if name and name != UNATTRIBUTED:
                name = _fullest(name, state, ctx, people)
                add(name, f"ranker{rank}", f"rprob={_b(prob, (0.2, 0.4, 0.6, 0.8))}")
    state.phrase = phrase
    for e in state.orgs:  # organisations in the unit
        if e.start >= sent.end:
            break
        if e.start >= sent.start and not quotes[e.start]:
            name = speaker_from_tokens(list(e), state, sent, quotes)
            if name and name != UNATTRIBUTED:
                add(_fullest(name, state, ctx, people), "org_insent")
    state.phrase = phrase
    if state.last_speaker:
        add(state.last_speaker, "last_speaker")
    if ctx.prev_claimant:
        add(ctx.prev_claimant, "prev_claimant")
    for k, name in enumerate(reversed(ctx.history[-3:])):
        add(name, f"history{k}")
    # sentence-level context, crossed with each choice's kind
    rules_kind = _kind(rules, people)
    top = max(ctx.counts.values(), default=0)
    sentence = [
        f"rk={rules_kind}",
        f"rep={reported}",
        f"q={_b(quoted, (0.01, 0.3, 0.7))}",
        f"det={_b(detected, (0.2, 0.4, 0.6, 0.8))}",
        f"qmark={qmark}",
        f"konj={konj}",
        f"fp={first_person(sent, quotes)}",
        f"prevrep={ctx.prev_reported}",
        f"start={sent[0].text in QUOTE_CHARS}",
    ]
    out = []
    for c in found.values():
        kind = _kind(c.name, people)
        feats = {f"k={kind}"}
        feats.update(f"k={kind}|{f}" for f in c.feats)
        feats.update(f"k={kind}|{s}" for s in sentence)
        feats.update(f"k={kind}|{s}|rules={'rules' in c.feats}" for s in sentence[:4])
        if c.name not in (None, UNATTRIBUTED):
            n = len(c.name.split())
            feats.add(f"k={kind}|words={min(n, 4)}")
            freq = ctx.counts.get(c.name, 0)
            feats.add(f"freq={_b(freq, (1, 2, 4, 8))}")
            if freq and freq == top:
                feats.add("most_frequent")
            if ROLE_SUFFIX.search(c.name.split()[0]):
                feats.add("role_in_name")
            if "rules" in c.feats:
                feats.add(f"rules_and_insent={'insent' in c.feats}")
                feats.add(f"rules_and_last={'last_speaker' in c.feats}")
            for src in ("last_speaker", "history0", "insent"):
                if src in c.feats:
                    feats.add(f"{src}|q={_b(quoted, (0.01, 0.3, 0.7))}|rk={rules_kind}")
                    feats.add(f"{src}|det={_b(detected, (0.2, 0.4, 0.6, 0.8))}|rk={rules_kind}")
        out.append(Choice(c.name, feats))
    return out


@dataclass(frozen=True)
class Resolver:
    weights: dict[str, float]
    bias: float

    def score(self, feats: set[str]) -> float:
        w = self.weights
        return self.bias + sum(w.get(f, 0.0) for f in feats)

    def choose(self, options: list[Choice]) -> Choice:
        return max(options, key=lambda c: self.score(c.feats))


def load(path: Path) -> Resolver:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Resolver({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]))


@functools.cache
def resolver(lang: str) -> Resolver | None:
    """The shipped resolver of ``lang`` (None: rules only). ``CLAIMTRACKER_RESOLVER_DIR`` points
    the evaluation at a fold's weights."""
    folder = Path(os.environ.get("CLAIMTRACKER_RESOLVER_DIR") or MODEL_DIR)
    path = folder / f"resolver_{lang}.json"
    return load(path) if path.exists() else None


def resolve(
    sent: Span,
    state: DocState,
    quotes: list[bool],
    rules: str | None,
    reported: bool,
    konj: bool,
    ctx: Context,
    cue: bool = False,
) -> str | bool | None:
    """The resolver's claimant for the unit, or False to keep the rules' answer (no model)."""
    model = resolver(state.lang)
    if model is None and RECORD is None:
        return False
    options = choices(sent, state, quotes, rules, reported, konj, ctx, cue)
    if RECORD is not None:
        RECORD.append(
            {
                "start": sent.start_char,
                "end": sent.end_char,
                "rules": rules,
                "choices": [[c.name, sorted(c.feats)] for c in options],
            }
        )
        return False
    best = model.choose(options)
    return best.name
