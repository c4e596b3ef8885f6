"""Text clean-up and cheap text features for claim matching (pure functions, no state).

Tweets and social-media posts carry URLs, @handles, hashtags, "— Name (@handle) date" signatures,
emojis and scraped duplicates of themselves; none of that says what the claim is, and all of it
pulls sentence embeddings towards "a tweet" rather than towards the claim.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from functools import lru_cache

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\bpic\.twitter\.com/\S+|\b(?:t\.co|t\.me|bit\.ly)/\S+", re.IGNORECASE
)
# "— Ilhan Omar (@IlhanMN) January 5, 2020" at the end of an embedded tweet; often cut short.
# The author's name (group 1 or 2) is kept: who tweets is often what the claim is about.
_SIGNATURE = re.compile(
    r"\s*[—–]\s*([^—–\n]{0,80}?)\(@\w*\)?(?:\s+\w+\.?\s+\d{1,2},\s+\d{4})?[\s\"']*$"
    r"|\s*[—–]\s*([^—–\n]{0,60}?)\(@\w*[\s\"']*$"
)
_HANDLE = re.compile(r"(?<!\w)@(\w+)")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_CAMEL = re.compile(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ])|(?<=[A-ZÄÖÜ])(?=[A-ZÄÖÜ][a-zäöüß])")
_TRAILING_NONE = re.compile(r"\s+None\s*$")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[.!?])(?=[A-ZÄÖÜ][a-zäöüß])")
_WORD = re.compile(r"\w+", re.UNICODE)
# 1,500 / 1.500 / 3,5 / 3.5 / 2020 / 70%
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")


def _is_noise_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # So: emoji and pictographs; Sk: skin-tone modifiers; Mn/Cf: variation selectors, ZWJ.
    if cat in ("So", "Sk", "Cs", "Co"):
        return True
    if cat in ("Mn", "Cf") and ord(ch) >= 0x200B and not unicodedata.combining(ch):
        return True
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF  # regional-indicator flags


class _NoiseTable(dict):
    """`str.translate` table: noise characters to a space, every other to itself.

    Filled on first sight of each character (`__missing__`), so a text is cleaned by one C-level
    pass instead of a Python call per character (that was most of `normalise_claim_text`'s cost,
    paid for every candidate text a search had not seen yet). At most one entry per distinct
    character seen.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = " " if _is_noise_char(char) else char
        self[code] = value
        return value


_NOISE_TABLE = _NoiseTable()


def _split_tag(match: re.Match[str]) -> str:
    return _CAMEL.sub(" ", match.group(1)).replace("_", " ")


def _collapse_repeats(text: str) -> str:
    """Keep one copy of a leading block of words that is repeated back to back.

    Scraped posts often hold their text (or its first part) two or three times in a row:
    "A A A B" -> "A B". Only blocks of at least three words starting at the first word are
    looked for (cheap: a few list comparisons), the rest is left to sentence de-duplication.
    """
    tokens = text.split(" ")
    for period in range(3, len(tokens) // 2 + 1):
        if tokens[period] != tokens[0] or tokens[period : 2 * period] != tokens[:period]:
            continue
        end = 2 * period
        while tokens[end : end + period] == tokens[:period]:
            end += period
        return " ".join(tokens[:period] + tokens[end:])
    return text


def _author(match: re.Match[str]) -> str:
    """A tweet signature becomes its author's name in brackets: "... (Ilhan Omar)".

    Who tweeted is often what the claim is about ("Twitter literally trying to kill me! —
    Reginald VelJohnson (@rveljohnson) ..." is about a hoax of his death); on the CheckThat! 2020
    tweets keeping the name lifted every text signal (model card). Handle and date go.
    """
    name = _SPACE.sub(" ", match.group(1) or match.group(2) or "").strip(" -—–|:,\"'")
    return f" ({name})" if _WORD.search(name) else ""


def _dedupe_sentences(text: str) -> str:
    """Drop sentences repeated verbatim (scraped posts often hold their text two or three times)."""
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        key = " ".join(_WORD.findall(sentence.casefold()))
        if not key or key in seen:
            continue
        seen.add(key)
        kept.append(sentence.strip())
    return " ".join(kept)


@lru_cache(maxsize=65536)
def normalise_claim_text(text: str) -> str:
    """Return the claim's words without social-media furniture.

    Strips URLs (incl. pic.twitter.com), tweet signatures (but for the author's name, kept in
    brackets at the end), '@' and '#' (keeping the words, split
    at camelCase: "#AustralianFires" -> "Australian Fires"), emojis, HTML entities, a scraper's
    trailing "None" and repeated sentences. Keeps case and punctuation: the encoder uses them.
    """
    text = html.unescape(text or "")
    text = unicodedata.normalize("NFC", text)
    text = _TRAILING_NONE.sub("", text)
    text = _URL.sub(" ", text)
    text = _SIGNATURE.sub(_author, text)
    text = _HANDLE.sub(_split_tag, text)
    text = _HASHTAG.sub(_split_tag, text)
    text = text.translate(_NOISE_TABLE)
    text = _collapse_repeats(_SPACE.sub(" ", text).strip())
    text = _dedupe_sentences(text)
    return _SPACE.sub(" ", text).strip(" -—–|:")


@lru_cache(maxsize=8192)  # per candidate text at every search (pure, like `numbers`)
def exact_key(text: str) -> str:
    """Key for "the same claim, verbatim": casefolded words of the normalised text."""
    return " ".join(_WORD.findall(normalise_claim_text(text).casefold()))


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def sentences(text: str, *, max_sentences: int = 12, min_words: int = 3) -> list[str]:
    """Sentences of an (already normalised) text, for best-sentence matching of long posts."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if len(_WORD.findall(p)) >= min_words]
    return parts[:max_sentences]


def _canonical_number(token: str) -> str:
    # "1,500" and "1.500" (German thousands) -> "1500"; "3,5" -> "3.5". Heuristic: a separator
    # followed by exactly three digits is a thousands separator.
    parts = re.split(r"[.,]", token)
    if len(parts) == 1:
        return token.lstrip("0") or "0"
    if all(len(p) == 3 for p in parts[1:]):
        return "".join(parts).lstrip("0") or "0"
    whole = "".join(parts[:-1]).lstrip("0") or "0"
    return f"{whole}.{parts[-1]}".rstrip("0").rstrip(".")


# Cached: a search computes them for each candidate text, and candidates recur between searches
# (pure functions of the text; the frozensets are immutable).
@lru_cache(maxsize=8192)
def numbers(text: str) -> frozenset[str]:
    """Canonical numbers mentioned in a text (digits only; years included)."""
    return frozenset(_canonical_number(m.group(0)) for m in _NUMBER.finditer(text))


_CAPITALISED = re.compile(r"\b[A-ZÄÖÜ][\wÄÖÜäöüß'-]{2,}")


@lru_cache(maxsize=8192)
def capitalised(text: str) -> frozenset[str]:
    """Capitalised words (names in English; names and nouns in German), casefolded."""
    return frozenset(w.casefold() for w in _CAPITALISED.findall(text))


@functools.cache
def _german_or_english():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Our own instance, restricted to the desk's two languages (the module-level one is shared).
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["de", "en"])
    return identifier


def is_english(text: str) -> bool:
    """Whether a (normalised) claim is English rather than German (py3langid on the two).

    Decides who gets the English-only encoder's signal; texts without letters count as English
    (they carry no German either, and the signal then just agrees with the others).
    """
    if not _WORD.search(text or ""):
        return True
    return _german_or_english().classify(text[:1000])[0] == "en"
