"""Comparing claimant names with speakers' names and aliases (pure Python, no Django).

The extraction already resolves a claimant to the fullest name the article gives ("Klingbeil"
after "SPD-Chef Lars Klingbeil" becomes "Lars Klingbeil") and keeps the words that introduced
them as the role. What is left for speaker linking is comparing names across articles: case,
spacing, a leading article ("der Bundeskanzler" / "Bundeskanzler"), and telling organisations
from people when a name has no person-like shape.
"""

from __future__ import annotations

import re
import unicodedata

UNATTRIBUTED = "unattributed"

_DETERMINERS = ("der", "die", "das", "den", "dem", "des", "the")

# Words that make a claimant an organisation rather than a person. The extraction's NER label
# decides first (an ORG entity with the same text); these cover what the small models miss.
_ORG_WORDS = re.compile(
    r"(ministerium|ministry|department|regierung|government|behörde|agency|amt\b|ämter|"
    r"institut|institute|universität|university|gericht|court|polizei|police|verband|"
    r"association|gewerkschaft|union\b|partei|party\b|fraktion|kommission|commission|"
    r"gmbh|\bag\b|\binc\b|\bltd\b|corp|company|konzern|bank\b|zentrale|office\b|council|"
    r"rat\b|bundestag|parliament|committee|ausschuss|stiftung|foundation|verein|"
    r"organisation|organization|staatsanwaltschaft|prosecutor|sprecherin des|spokesman for)",
    re.IGNORECASE,
)

# "SPD-Chef", "CDU-Vorsitzender", "FDP-Politikerin": the party before the hyphen, when it is
# written as an abbreviation (two capitals at least), is the speaker's party.
_PARTY_ROLE = re.compile(r"^(?P<org>[A-ZÄÖÜ][A-Za-zÄÖÜäöü]*)-[A-ZÄÖÜ][a-zäöüß]+")


def normalise(name: str) -> str:
    """Unicode NFC, single spaces, trimmed: the form names are stored and compared in."""
    return " ".join(unicodedata.normalize("NFC", name or "").split())


def key(name: str) -> str:
    """Comparison key: normalised, case-folded, without a leading article."""
    words = normalise(name).casefold().split()
    if len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def variants(name: str) -> set[str]:
    """The spellings a stored name or alias may have for this claimant (for the database query,
    which compares case-insensitively but knows nothing of leading articles)."""
    bare = normalise(name)
    words = bare.split()
    if len(words) > 1 and words[0].casefold() in _DETERMINERS:
        bare = " ".join(words[1:])
    return {normalise(name), bare} | {f"{d} {bare}" for d in _DETERMINERS}


def is_linkable(claimant: str | None) -> bool:
    """Whether a claimant names someone: not the article's own voice, not an anonymous source."""
    name = normalise(claimant or "")
    return bool(name) and name.casefold() != UNATTRIBUTED and any(c.isalpha() for c in name)


def surname(name: str) -> str:
    words = key(name).split()
    return words[-1] if words else ""


def looks_like_organisation(name: str) -> bool:
    return bool(_ORG_WORDS.search(normalise(name)))


def party_of_role(role: str) -> str:
    """The party abbreviation a German compound role starts with ("SPD-Chef" -> "SPD")."""
    match = _PARTY_ROLE.match(normalise(role))
    if not match:
        return ""
    org = match.group("org")
    return org if sum(c.isupper() for c in org) >= 2 else ""
