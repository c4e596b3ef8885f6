"""Topic watches that name an entity (a person, organisation or place), compared with the
entities of a claim (pure Python, no Django).

A topic written ``entity:Olaf Scholz`` follows a name rather than words. It matches a claim when
one of the claim's spaCy entities, its claimant or its linked speaker (name or alias) is that
name, written in any of these forms:

* case, spacing, hyphens and a leading article do not matter ("der Bundestag" = "Bundestag");
* diacritics and their German spellings do not matter ("Müller" = "Muller" = "Mueller",
  "Straße" = "Strasse");
* a person named by surname only ("Scholz") is the full name the same article introduced
  ("Olaf Scholz"), when exactly one of the article's people has that surname;
* a one-word entity topic ("entity:Merz") is a surname too: it matches any person whose name
  ends with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

ENTITY_PREFIX = "entity:"
PERSON_LABELS = frozenset({"PER", "PERSON"})
_DETERMINERS = frozenset({"der", "die", "das", "den", "dem", "des", "the"})
_NOT_WORD = re.compile(r"[^\w]+")
# After the diacritics are gone: the German spellings of umlauts read the same as the bare vowel.
_UMLAUT_SPELLING = re.compile(r"(?<=[a-z])(ae|oe|ue)|^(ae|oe|ue)")


def entity_of_topic(topic: str) -> str | None:
    """The name an entity topic follows ("entity:Olaf Scholz" -> "Olaf Scholz"), else None."""
    text = (topic or "").strip()
    if text[: len(ENTITY_PREFIX)].casefold() != ENTITY_PREFIX:
        return None
    name = " ".join(text[len(ENTITY_PREFIX) :].split())
    return name or None


def name_key(name: str) -> str:
    """The comparison form of a name: no case, diacritics, punctuation or leading article."""
    text = unicodedata.normalize("NFKD", (name or "").replace("ß", "ss").replace("ẞ", "SS"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = [w for w in _NOT_WORD.sub(" ", text).split() if w]
    if len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(_UMLAUT_SPELLING.sub(lambda m: (m.group(1) or m.group(2))[0], w) for w in words)


def surname_key(key: str) -> str:
    return key.rsplit(" ", 1)[-1] if key else ""


def introduced_people(names: Iterable[str]) -> dict[str, set[str]]:
    """Surname key -> the full-name keys of the article's people with that surname."""
    found: dict[str, set[str]] = defaultdict(set)
    for name in names:
        key = name_key(name)
        if " " in key:
            found[surname_key(key)].add(key)
    return found


def claim_name_keys(
    *,
    entities: Iterable[dict],
    names: Iterable[str],
    people: dict[str, set[str]],
) -> tuple[set[str], set[str]]:
    """(name keys, person name keys) a claim is about: its entities, plus ``names`` (its claimant
    and speaker, people), a lone surname read as the one full name the article introduced."""
    keys: set[str] = set()
    persons: set[str] = set()
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        key = name_key(str(entity.get("text", "")))
        if not key:
            continue
        keys.add(key)
        if entity.get("label") in PERSON_LABELS:
            persons.add(key)
    for name in names:
        key = name_key(name)
        if key:
            keys.add(key)
            persons.add(key)
    for key in list(persons):
        if " " not in key:
            full = people.get(key, set())
            if len(full) == 1:
                (expanded,) = full
                keys.add(expanded)
                persons.add(expanded)
    return keys, persons
