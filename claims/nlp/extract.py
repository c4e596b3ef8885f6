"""Claim extraction: one :class:`ExtractedClaim` per sentence of an article (or per input unit).

Pure Python (no Django). Pipelines load lazily on first use; check-worthiness scores come from
:mod:`claims.nlp.checkworthiness`, the claim type, reported speech, claimant, entities and numbers
from the rule components in :mod:`claims.nlp.components`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np

from claims.nlp.components import Entity, SentenceAnalysis, analyse_doc
from claims.nlp.numbers import NumberMention
from claims.nlp.pipelines import LANGUAGES, RULES, claim_pipeline
from claims.nlp.ranking import desk_scores, desk_threshold
from claims.nlp.references import unresolved_references_batch

BATCH_SIZE = 64


@dataclass(frozen=True)
class ExtractedClaim:
    index: int
    text: str
    start: int  # character offsets into the analysed text
    end: int
    language: str
    score: float
    checkworthy: bool
    claim_type: str
    reported: bool
    claimant: str | None  # full name; None: the article's own voice; "unattributed"
    entities: tuple[Entity, ...]  # offsets into the analysed text, like start/end
    numbers: tuple[NumberMention, ...]
    context_before: str  # the neighbouring sentences ("" at the edges)
    context_after: str
    claimant_role: str | None = None
    claimant_span: tuple[int, int] | None = None  # offsets of the words naming the claimant
    segment: str = "body"  # the unit's place in the article (claims/nlp/structure.py)
    candidate: bool = True  # False: a sentence kept as context only (byline, credit, teaser...)
    standalone: str = ""  # the claim readable without the article; the evidence is text/offsets
    # Words of the standalone text that still point into the article ("it", "Die 32-Jährige",
    # "dort", "the report"), found by claims.nlp.references: empty when it reads alone.
    standalone_unresolved: tuple[str, ...] = ()
    # The sentence's multilingual embedding (512 float32), which check-worthiness computed
    # anyway: claim matching reuses it instead of encoding the sentence again.
    embedding: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def standalone_needs_context(self) -> bool:
        """Whether the standalone text still needs the article to be understood."""
        return bool(self.standalone_unresolved)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "language": self.language,
            "score": self.score,
            "checkworthy": self.checkworthy,
            "type": self.claim_type,
            "claim_type": self.claim_type,
            "reported": self.reported,
            "claimant": self.claimant,
            "claimant_role": self.claimant_role,
            "claimant_span": list(self.claimant_span) if self.claimant_span else None,
            "candidate": self.candidate,
            "segment": self.segment,
            "standalone": self.standalone or self.text,
            "standalone_needs_context": self.standalone_needs_context,
            "standalone_unresolved": list(self.standalone_unresolved),
            "entities": [e.to_dict() for e in self.entities],
            "numbers": [n.to_dict() for n in self.numbers],
            "context_before": self.context_before,
            "context_after": self.context_after,
        }


@functools.cache
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # scans the loaded BLAS libraries once, not on every call


def _one_blas_thread():
    """spaCy's layers multiply with numpy's BLAS (see pipelines.py): one thread per worker process,
    whatever the environment says; on two cores more threads are several times slower."""
    return _blas_controller().limit(limits=1, user_api="blas")


@functools.cache
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Our own instance: the module-level one in py3langid is shared with any other caller.
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect_language(text: str) -> str:
    """ "de" or "en" (py3langid restricted to the two); "en" for empty text."""
    if not text or not text.strip():
        return "en"
    lang, _prob = _language_identifier().classify(text[:5000])
    return lang if lang in LANGUAGES else "en"


def _check_lang(lang: str) -> str:
    """ "de", "DE", "de-AT", "en_GB" -> "de"/"en"; anything else is an error, not a guess."""
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGUAGES}")
    return code


def _scores(texts: list[str], lang: str) -> tuple[list[float], float, np.ndarray | None]:
    """Check-worthiness scores, the language's threshold and the sentences' embeddings."""
    try:
        from claims.nlp.checkworthiness import checkworthiness_scores, checkworthiness_threshold
        from claims.nlp.embeddings import embed
    except ImportError as exc:  # the classifier is a separate deliverable; fail loudly, never fake
        raise RuntimeError(
            "claims.nlp.checkworthiness is missing: the check-worthiness model is required to "
            "score claims"
        ) from exc
    if not texts:
        return [], checkworthiness_threshold(lang), None
    embeddings = embed(texts)
    scores = checkworthiness_scores(texts, lang=lang, embeddings=embeddings)
    return [float(s) for s in scores], float(checkworthiness_threshold(lang)), embeddings


def _build(
    text: str,
    analyses: list[SentenceAnalysis],
    lang: str,
    scores: list[float],
    threshold: float,
    embeddings: np.ndarray | None,
    unresolved: Sequence[Sequence[str]],
) -> list[ExtractedClaim]:
    sentences = [text[a.start : a.end] for a in analyses]
    claims = []
    for i, a in enumerate(analyses):
        claims.append(
            ExtractedClaim(
                index=i,
                text=sentences[i],
                start=a.start,
                end=a.end,
                language=lang,
                score=scores[i],
                # Context-only units (bylines, credits, teasers...) are never check-worthy.
                checkworthy=a.candidate and scores[i] >= threshold,
                claim_type=a.claim_type,
                reported=a.reported,
                claimant=a.claimant,
                entities=a.entities,
                numbers=a.numbers,
                context_before=sentences[i - 1] if i > 0 else "",
                context_after=sentences[i + 1] if i + 1 < len(sentences) else "",
                claimant_role=a.claimant_role,
                claimant_span=a.claimant_span,
                segment=a.segment,
                candidate=a.candidate,
                standalone=a.standalone or sentences[i],
                standalone_unresolved=tuple(unresolved[i]),
                embedding=None if embeddings is None else embeddings[i],
            )
        )
    return claims


@dataclass(frozen=True)
class ArticleContext:
    """What the pipeline knows of an article besides its text: the headline and the date it was
    published (relative times in a claim are anchored to it)."""

    title: str | None = None
    published: date | None = None

    @classmethod
    def of(cls, title: str | None = None, published: date | datetime | None = None):
        if isinstance(published, datetime):
            published = published.date()
        return cls(title=(title or "").strip() or None, published=published)


def _with_context(nlp, texts: Sequence[str], contexts: Sequence[ArticleContext]):
    """Make each Doc with its article context set, for the components that read it."""
    for text, context in zip(texts, contexts, strict=True):
        doc = nlp.make_doc(text)
        doc._.article_title = context.title
        doc._.published = context.published
        yield doc


def extract_claims_batch(
    texts: Sequence[str],
    lang: str | None = None,
    *,
    contexts: Sequence[ArticleContext] | None = None,
) -> list[list[ExtractedClaim]]:
    """Claims of many articles; ``lang`` None detects each text's language. ``contexts`` gives
    each article's headline and publication date (same order as ``texts``)."""
    langs = [_check_lang(lang) if lang else detect_language(t) for t in texts]
    contexts = list(contexts) if contexts is not None else [ArticleContext()] * len(texts)
    if len(contexts) != len(texts):
        raise ValueError("contexts must have one entry per text")
    out: list[list[ExtractedClaim] | None] = [None] * len(texts)
    for code in LANGUAGES:
        idx = [i for i, lg in enumerate(langs) if lg == code]
        if not idx:
            continue
        nlp = claim_pipeline(code)
        with _one_blas_thread():
            made = _with_context(nlp, [texts[i] for i in idx], [contexts[i] for i in idx])
            docs = list(nlp.pipe(made, batch_size=BATCH_SIZE))
        analyses = [doc._.claim_analysis for doc in docs]
        flat = [texts[i][a.start : a.end] for i, an in zip(idx, analyses, strict=True) for a in an]
        sentence_scores, _threshold, embeddings = _scores(flat, code)
        standalones = [
            a.standalone or texts[i][a.start : a.end]
            for i, an in zip(idx, analyses, strict=True)
            for a in an
        ]
        with _one_blas_thread():
            unresolved = unresolved_references_batch(standalones, code)
        pos = 0
        for i, an in zip(idx, analyses, strict=True):
            end = pos + len(an)
            vectors = None if embeddings is None else embeddings[pos:end]
            scores = _desk_scores(
                flat[pos:end], an, code, vectors, contexts[i].title, sentence_scores[pos:end]
            )
            out[i] = _build(
                texts[i], an, code, scores, desk_threshold(), vectors, unresolved[pos:end]
            )
            pos = end
    return [c or [] for c in out]


def _desk_scores(
    units: list[str],
    analyses: list[SentenceAnalysis],
    lang: str,
    embeddings: np.ndarray | None,
    title: str | None,
    checkworthiness: list[float],
) -> list[float]:
    """An article's units scored as a desk ranks them (claims.nlp.ranking): the sentence's own
    check-worthiness with its subjectivity, specificity and place in the article, calibrated so
    that a score means the same in German and English."""
    return desk_scores(
        units,
        lang=lang,
        embeddings=embeddings,
        segments=[a.segment for a in analyses],
        positions=list(range(len(units))),
        title=title,
        checkworthiness=checkworthiness,
        standalones=[a.standalone for a in analyses],
    )


def extract_claims(
    text: str,
    lang: str | None = None,
    *,
    title: str | None = None,
    published: date | datetime | None = None,
) -> list[ExtractedClaim]:
    """One claim per unit (sentence) of ``text``, in order; ``lang`` None detects the language.
    ``title`` and ``published`` are the article's headline and date, when known."""
    context = ArticleContext.of(title, published)
    return extract_claims_batch([text], lang, contexts=[context])[0]


def analyse_sentences(sentences: Sequence[str], lang: str) -> list[ExtractedClaim]:
    """Each input (a sentence or a short text) is one unit: exactly one claim per input, in order.
    Units are independent (no claimant carried over between them); offsets refer to the input."""
    lang = _check_lang(lang)
    if not sentences:
        return []
    nlp = claim_pipeline(lang)
    with _one_blas_thread():
        docs = nlp.pipe(sentences, batch_size=BATCH_SIZE, disable=[RULES])
        analyses = [analyse_doc(doc, lang, whole=True)[0] for doc in docs]
    texts = [s[a.start : a.end] for s, a in zip(sentences, analyses, strict=True)]
    scores, threshold, embeddings = _scores(texts, lang)
    with _one_blas_thread():
        unresolved = unresolved_references_batch(
            [a.standalone or t for a, t in zip(analyses, texts, strict=True)], lang
        )
    claims = []
    for i, (s, a) in enumerate(zip(sentences, analyses, strict=True)):
        vectors = None if embeddings is None else embeddings[i : i + 1]
        claims.extend(
            c.__class__(**{**c.__dict__, "index": i})
            for c in _build(s, [a], lang, [scores[i]], threshold, vectors, [unresolved[i]])
        )
    return claims
