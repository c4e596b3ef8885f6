"""Load every model a claim-extraction worker uses, once, before its first article.

The pipelines load lazily on first use (never at import); a worker that is about to serve people
(the quick start's) calls this at start-up, so the first submitted article does not wait for
spaCy, the check-worthiness model and the encoders. Pure Python, like the rest of claims/nlp.
"""

from __future__ import annotations

import time

_SAMPLES = {
    "de": "Die Arbeitslosigkeit ist 2023 laut Ministerin Müller um 3 Prozent gestiegen.",
    "en": "Unemployment rose by 3 percent in 2023, the minister said on Monday.",
}


def warm_models(*, matching: bool = True, english_signal: bool = True) -> float:
    """Run the extraction (both languages) and, when asked, the matching encoders on a sentence.

    Returns the seconds it took.
    """
    from claims.nlp.extract import extract_claims

    started = time.perf_counter()
    for lang, text in _SAMPLES.items():
        extract_claims(text, lang)
    if matching:
        from claims.nlp.embeddings import embed

        embed(list(_SAMPLES.values()))
        if english_signal:
            from claims.nlp.minilm import embed_english

            embed_english([_SAMPLES["en"]])
    return time.perf_counter() - started
