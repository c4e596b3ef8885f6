"""ClaimTracker's spaCy components, registered under versioned names.

spaCy forbids dots in factory names, so each component is a factory (``claimtracker_sentences``,
``claimtracker_claim_rules``) whose behaviour is a function in spaCy's ``misc`` registry with a
versioned name, referenced from the pipeline config (as spaCy does with its scorers):

- ``claimtracker.sentences.v1`` (first, before any parser): rule-based sentence boundaries; a
  line break always starts a sentence, so headings and paragraphs never run into each other.
- ``claimtracker.tag_pos.v1`` (English, in place of spaCy's ``attribute_ruler``): coarse POS
  from the tagger's fine-grained tags, compiled from the model's own attribute-ruler patterns into
  a lookup table. Same ``pos_`` as the attribute ruler for a pipeline without a parser, at a
  fraction of its cost (the Matcher it runs was a fifth of the English pipeline's time).
- ``claimtracker.claim_rules.v1`` (last): reads the article top to bottom and stores one
  :class:`SentenceAnalysis` per sentence in ``doc._.claim_analysis`` (reported speech, claimant,
  claim type, entities, numbers). The same rules run on a single span through :func:`analyse_span`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from claims.nlp.attribution import DocState, analyse_attribution, collect_people, in_quote_flags
from claims.nlp.claim_types import classify_claim, is_heading
from claims.nlp.numbers import NumberMention, find_numbers
from claims.nlp.people import forget_people_in
from claims.nlp.sentences import sentence_starts
from claims.nlp.standalone import standalone_text
from claims.nlp.structure import Unit, read_structure

ENTITY_LABELS = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "MISC": "MISC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}  # numeric entity types (DATE, CARDINAL, MONEY, ...) are covered by the number rules


@dataclass(frozen=True)
class Entity:
    text: str
    label: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "label": self.label, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class SentenceAnalysis:
    start: int  # character offsets of the sentence (whitespace trimmed) in doc.text
    end: int
    reported: bool
    claimant: str | None  # full name; None: the article's own voice; "unattributed"
    claim_type: str
    entities: tuple[Entity, ...]
    numbers: tuple[NumberMention, ...]
    claimant_role: str | None = None  # "Gesundheitsminister", kept apart from the name
    claimant_span: tuple[int, int] | None = None  # where the claimant was read (doc.text offsets)
    # The unit's place in the article's structure (see claims/nlp/structure.py): headline, lead,
    # body, subhead, quote, caption, byline, credit, teaser, cta, notice, ...
    segment: str = "body"
    candidate: bool = True  # False: kept as context only, never a queue item
    standalone: str = ""  # the claim as a fact-checker can check it without the article


if not Doc.has_extension("claim_analysis"):
    Doc.set_extension("claim_analysis", default=None)
# Article context set by the caller before the pipeline runs (extract.py): the headline and the
# publication date (a datetime.date) anchor standalone claims and the ranking.
if not Doc.has_extension("article_title"):
    Doc.set_extension("article_title", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def trimmed_bounds(span: Span) -> tuple[int, int]:
    text = span.text
    left = len(text) - len(text.lstrip())
    return span.start_char + left, span.start_char + len(text.rstrip())


def sentence_entities(
    doc: Doc, span: Span, names: set[str], ents: list[Span], text: str
) -> tuple[Entity, ...]:
    """NER entities of the span, plus person names known from elsewhere in the document that the
    small German NER missed ("Trump" once "Donald Trump" is known)."""
    out: dict[tuple[int, int], Entity] = {}
    for e in ents:
        if e.start >= span.start and e.end <= span.end and e.label_ in ENTITY_LABELS:
            label = ENTITY_LABELS[e.label_]
            if all(t.text in names for t in e):  # "Trump" tagged LOC once "Donald Trump" is known
                label = "PERSON"
            out[(e.start_char, e.end_char)] = Entity(e.text, label, e.start_char, e.end_char)
    covered = [(s, e) for s, e in out]
    for tok in span:
        base = tok.text[:-1] if tok.text.endswith("s") and tok.text[:-1] in names else tok.text
        if base in names and not any(s <= tok.idx < e for s, e in covered):
            j = tok.i
            while j + 1 < span.end and doc[j + 1].text in names:
                j += 1
            s, e = tok.idx, doc[j].idx + len(doc[j].text)
            if not any(cs <= s < ce or cs < e <= ce for cs, ce in covered):
                out[(s, e)] = Entity(text[s:e], "PERSON", s, e)
                covered.append((s, e))
    return tuple(sorted(out.values(), key=lambda x: x.start))


_CREDITS = frozenset({"byline", "credit"})  # units naming people who say nothing in the article


def analyse_doc(doc: Doc, lang: str, *, whole: bool = False) -> list[SentenceAnalysis]:
    """Run the rules over every sentence (or over the whole doc as one unit when ``whole``)."""
    state = DocState(lang=lang)
    collect_people(doc, state)
    quotes = in_quote_flags(doc)
    names = {w for m in state.people for w in m.tokens if len(w) > 2}
    text = doc.text  # Doc.text and Doc.ents are rebuilt on every access: read them once
    ents = state.ents
    sents = [s for s in doc.sents if not all(t.is_space for t in s)]
    units = [Unit(doc[:], "body", True)] if whole else read_structure(doc, lang, sents)
    forget_people_in(state, [(u.span.start, u.span.end) for u in units if u.segment in _CREDITS])
    results = []
    for unit in units:
        span = unit.span
        start, end = trimmed_bounds(span)
        heading = not whole and is_heading(span, text)
        said = analyse_attribution(span, state, quotes, heading=heading)
        numbers = tuple(find_numbers(text[start:end], lang, offset=start))
        claim_type = classify_claim(span, lang, list(numbers), unit=whole, candidate=unit.candidate)
        results.append(
            SentenceAnalysis(
                start,
                end,
                said.reported,
                said.claimant,
                claim_type,
                sentence_entities(doc, span, names, ents, text),
                numbers,
                claimant_role=said.role,
                claimant_span=said.span,
                segment=unit.segment,
                candidate=unit.candidate,
                standalone=standalone_text(
                    span,
                    lang=lang,
                    reported=said.reported,
                    claimant=said.claimant,
                    claimant_role=said.role,
                    state=state,
                    published=doc._.published,
                    title=doc._.article_title,
                ),
            )
        )
    return results


class TagPos:
    """Coarse POS (and the whitespace tag) from fine-grained tags, like spaCy's attribute ruler.

    Built from the attribute ruler's patterns (:meth:`add_patterns`), keeping only what a pipeline
    without a parser can match and what the claim rules read: single-token patterns over ``TAG``,
    ``LOWER`` and ``IS_SPACE`` that set ``POS`` or ``TAG``. Patterns that test ``DEP`` never match
    without a parser, and ``LEMMA``/``MORPH`` are not read by the English rules, so both are left
    out. Later patterns win, as in the attribute ruler. The result depends only on (tag, lower form
    if some pattern names it, is_space), so it is computed once per key and cached.
    """

    _KEYS = {"TAG", "LOWER", "IS_SPACE"}

    def __init__(self) -> None:
        self.rules: list[tuple[dict, dict[str, str]]] = []
        self.lower_words: set[str] = set()
        self._cache: dict[tuple[str, str | None, bool], tuple[str, str]] = {}

    def add_patterns(self, patterns: Iterable[dict]) -> None:
        for p in patterns:
            attrs = {k: v for k, v in p["attrs"].items() if k in ("POS", "TAG")}
            for pattern in p["patterns"]:  # alternatives of one rule share its attributes
                if len(pattern) != 1 or not attrs:
                    continue  # multi-token patterns in en_core_web_sm set lemmas only
                (cond,) = pattern
                if "DEP" in cond:
                    continue  # needs a parser: never matches in the claim pipeline
                unknown = set(cond) - self._KEYS
                if unknown:
                    raise ValueError(f"unsupported attribute-ruler pattern keys {unknown}: {p}")
                for key, value in cond.items():
                    if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN"}:
                        raise ValueError(f"unsupported attribute-ruler predicate: {p}")
                    if key == "LOWER":
                        values = (
                            [*value.get("IN", []), *value.get("NOT_IN", [])]
                            if isinstance(value, dict)
                            else [value]
                        )
                        self.lower_words.update(values)
                self.rules.append((cond, attrs))
        self._cache.clear()

    @staticmethod
    def _matches(value: object, cond: object) -> bool:
        if isinstance(cond, dict):
            if "IN" in cond and value not in cond["IN"]:
                return False
            return not ("NOT_IN" in cond and value in cond["NOT_IN"])
        return value == cond

    def _resolve(self, key: tuple[str, str | None, bool]) -> tuple[str, str]:
        tag, lower, is_space = key
        values = {"TAG": tag, "LOWER": lower, "IS_SPACE": is_space}
        out = {"POS": "", "TAG": tag}
        for cond, attrs in self.rules:
            if all(self._matches(values[k], c) for k, c in cond.items()):
                out.update(attrs)
        return out["POS"], out["TAG"]

    def __call__(self, doc: Doc) -> Doc:
        cache, words = self._cache, self.lower_words
        for tok in doc:
            lower = tok.lower_
            key = (tok.tag_, lower if lower in words else None, tok.is_space)
            found = cache.get(key)
            if found is None:
                found = cache[key] = self._resolve(key)
            pos, tag = found
            if pos:
                tok.pos_ = pos
            if tag != key[0]:
                tok.tag_ = tag
        return doc


@registry.misc("claimtracker.sentences.v1")
def sentences_v1() -> Callable[[Doc], Doc]:
    return sentence_starts


@registry.misc("claimtracker.tag_pos.v1")
def tag_pos_v1() -> Callable[[], TagPos]:
    return TagPos


@registry.misc("claimtracker.claim_rules.v1")
def claim_rules_v1() -> Callable[..., list[SentenceAnalysis]]:
    return analyse_doc


class ClaimRules:
    def __init__(self, lang: str, rules: Callable[..., list[SentenceAnalysis]]):
        self.lang = lang
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.claim_analysis = self.rules(doc, self.lang)
        return doc


@Language.factory(
    "claimtracker_sentences",
    default_config={"rule": {"@misc": "claimtracker.sentences.v1"}},
    assigns=["token.is_sent_start"],
)
def make_sentences(nlp: Language, name: str, rule: Callable[[Doc], Doc]) -> Callable[[Doc], Doc]:
    return rule


@Language.factory(
    "claimtracker_claim_rules",
    default_config={"lang": "de", "rules": {"@misc": "claimtracker.claim_rules.v1"}},
    requires=["token.is_sent_start", "token.pos", "doc.ents"],
    assigns=["doc._.claim_analysis"],
)
def make_claim_rules(
    nlp: Language, name: str, lang: str, rules: Callable[..., list[SentenceAnalysis]]
) -> ClaimRules:
    return ClaimRules(lang, rules)


@Language.factory(
    "claimtracker_tag_pos",
    default_config={"rule": {"@misc": "claimtracker.tag_pos.v1"}, "patterns": []},
    requires=["token.tag"],
    assigns=["token.pos", "token.tag"],
)
def make_tag_pos(
    nlp: Language, name: str, rule: Callable[[], TagPos], patterns: list[dict]
) -> TagPos:
    """``patterns``: attribute-ruler patterns, e.g. a sourced package's (see pipelines.py)."""
    tag_pos = rule()
    tag_pos.add_patterns(patterns)
    return tag_pos
