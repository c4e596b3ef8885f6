"""Written forms of a claimant's name: abbreviations to the full name the article introduced,
names the text extraction glued together, words that only look like names.

Annotators (and readers) name a speaker as introduced: "Europäischer Gerichtshof (EuGH)" for a
later "der EuGH", "World Health Organization" for "says WHO", "Pacific Gas & Electric Co." for
"PG&E". The long form is read from the article itself, never from a list of known organisations.
"""

from __future__ import annotations

import re
from itertools import pairwise

# Words joining the capitalised words of an organisation's name.
_CONNECTORS = frozenset({"für", "of", "for", "and", "und", "&", "on", "de", "du", "la"})
_COMPANY_TAILS = ("Co.", "Inc.", "Corp.", "Corporation", "Company", "Ltd.", "AG", "GmbH")
_ABBREVIATION = re.compile(r"^[A-ZÄÖÜ][A-Za-zÄÖÜ&]{1,7}$")
_IN_PARENS = re.compile(r"\(([A-ZÄÖÜ][A-Za-zÄÖÜ&]{1,7})\)")
# Prefixes of real names with an inner capital: "McDonald", "MacArthur", "DeSantis", "LeBron".
_NAME_PREFIXES = frozenset({"Mc", "Mac", "De", "Di", "Da", "Le", "La", "Van", "Von", "O"})
_GLUED = re.compile(r"^([A-ZÄÖÜ][a-zäöüß]{2,})([A-ZÄÖÜ][a-zäöüß]{2,})$")
# Question words the German NER now and then tags as a person ("Wieso? Er erklärt es ...").
_QUESTIONS = "wieso warum weshalb weswegen wozu wie wer wen wem was wo wann woher wohin why how who"
QUESTION_WORDS = frozenset(_QUESTIONS.split(" "))


def is_abbreviation(name: str) -> bool:
    """ "EuGH", "WHO", "PG&E", "LLI": at least two capitals, no spaces, short."""
    return bool(_ABBREVIATION.match(name)) and sum(c.isupper() for c in name) >= 2


def split_glued(word: str) -> tuple[str, ...]:
    """ "HansNiessl" -> ("Hans", "Niessl"): a first name and surname the extraction glued
    together; "McDonald", "DeSantis" stay whole."""
    m = _GLUED.match(word)
    if not m or m.group(1) in _NAME_PREFIXES:
        return (word,)
    return (m.group(1), m.group(2))


def _name_before(words: list[str], first: str) -> str | None:
    """The capitalised words (and connectors) at the end of ``words`` whose first word starts
    with ``first``: "schreibt ... des Bundesamt für Migration und Flüchtlinge" ->
    "Bundesamt für Migration und Flüchtlinge"."""
    taken: list[str] = []
    for word in reversed(words):
        if word[:1].isupper() or (word in _CONNECTORS and taken):
            taken.insert(0, word)
        else:
            break
    while taken and (taken[0] in _CONNECTORS or taken[0][:1].upper() != first.upper()):
        taken = taken[1:]
    return " ".join(taken) if len(taken) > 1 or (taken and len(taken[0]) > 5) else None


def long_forms(text: str) -> dict[str, str]:
    """Abbreviations the article spells out: "Leipnik-Lundenburger Invest (LLI)" -> {"LLI": ...};
    the first spelling wins."""
    forms: dict[str, str] = {}
    for m in _IN_PARENS.finditer(text):
        abbr = m.group(1)
        if not is_abbreviation(abbr) or abbr in forms:
            continue
        words = text[max(0, m.start() - 200) : m.start()].split()[-8:]
        long = _name_before(words, abbr[0])
        if long:
            forms[abbr] = long
    return forms


def _initials_form(abbr: str, text: str) -> str | None:
    """ "WHO" -> "World Health Organization", "PG&E" -> "Pacific Gas & Electric Co.", "CBP" ->
    "Customs and Border Protection": the first run of capitalised words in the article whose
    initials spell the abbreviation (connectors skipped), with a company suffix after it."""
    letters = [c for c in abbr if c.isupper()]
    pattern = r"\b" + r"\s+(?:(?:of|for|and|&|für|und)\s+)?".join(
        rf"{c}[a-zäöüß]+" for c in letters
    )
    m = re.search(pattern, text)
    if not m:
        return None
    long = m.group(0)
    rest = text[m.end() : m.end() + 14].split()
    if rest and rest[0].rstrip(",;:") in _COMPANY_TAILS:
        long += " " + rest[0].rstrip(",;:")
    return " ".join(long.split())


def expand(name: str, text: str, forms: dict[str, str]) -> str:
    """The full name for a claimant written as an abbreviation, when the article gives it."""
    if not is_abbreviation(name):
        return name
    return forms.get(name) or _initials_form(name, text) or name


# German institution nouns by gender, for the nominative of an inflected name ("der Deutschen
# Bank" -> "Deutsche Bank", "des Europäischen Gerichtshofs" -> "Europäischer Gerichtshof").
_FEMININE = (
    "bank",
    "kammer",
    "agentur",
    "kommission",
    "union",
    "behörde",
    "polizei",
    "regierung",
    "ung",
    "heit",
    "keit",
    "schaft",
    "ion",
    "tät",
    "partei",
    "bahn",
    "post",
    "akademie",
)
_NEUTER = (
    "amt",
    "ministerium",
    "institut",
    "zentrum",
    "büro",
    "gericht",
    "parlament",
    "komitee",
    "kreuz",
    "forum",
    "unternehmen",
    "werk",
)
_MASCULINE = (
    "hof",
    "rat",
    "bund",
    "verband",
    "dienst",
    "verein",
    "konzern",
    "fonds",
    "senat",
    "ausschuss",
    "rundfunk",
)
_ADJECTIVE_EN = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]*(schen|lichen|alen|ären|iven|ellen)$")


def _gender(noun: str) -> tuple[str, str] | None:
    """(gender, noun without genitive ending) for an institution noun, else None."""
    low = noun.lower()
    stems = [low, low[:-1] if low.endswith("s") else "", low[:-2] if low.endswith("es") else ""]
    for stem in filter(None, stems):
        for gender, suffixes in (("m", _MASCULINE), ("n", _NEUTER), ("f", _FEMININE)):
            if stem.endswith(suffixes):
                if gender == "f" and stem != low:
                    continue  # feminine nouns take no genitive -s
                return gender, noun[: len(stem)]
    return None


def german_nominative(name: str) -> str:
    """ "Deutschen Bank" -> "Deutsche Bank", "Europäischen Gerichtshofs" -> "Europäischer
    Gerichtshof": an adjective + institution noun read after an article, in the nominative
    without article (as names are listed). Anything else stays as written."""
    words = name.split()
    if len(words) < 2 or not _ADJECTIVE_EN.match(words[0]):
        return name
    k = 1
    while k < len(words) - 1 and _ADJECTIVE_EN.match(words[k]):
        k += 1  # "Europäischen Zentralen Bank"? every adjective before the noun
    found = _gender(words[k])
    if not found:
        return name
    gender, noun = found
    ending = {"m": "er", "n": "es", "f": "e"}[gender]
    adjectives = [w[:-2] + ending for w in words[:k]]
    return " ".join([*adjectives, noun, *words[k + 1 :]])


def group_named(noun: str, text: str) -> str | None:
    """ "the doctors" -> "Doctors for Camp Closure": a group the article names with the same
    noun, capitalised, followed by more capitalised words (with "for", "of", "against")."""
    cap = noun[:1].upper() + noun[1:]
    pattern = rf"\b{re.escape(cap)}((?:\s+(?:for|of|against|and)\s+|\s+)[A-Z][\w&'-]*)+"
    for m in re.finditer(pattern, text):
        before = text[: m.start()].rstrip()
        # not at a sentence or line start: a title-case headline ("Doctors Warn Of Flu") is no name
        if before and before[-1] not in '.!?:\n"“”':
            return " ".join(m.group(0).split())
    return None


# Local institutions German names by their town: "die Karlsruher Polizei" is "Polizei Karlsruhe".
_LOCAL = frozenset(
    {"polizei", "feuerwehr", "staatsanwaltschaft", "polizeidirektion", "stadtverwaltung"}
)


def town_institution(words: list[str], text: str) -> str | None:
    """ "Karlsruher Polizei" -> "Polizei Karlsruhe", "Kölner Staatsanwaltschaft" -> ...: when the
    town itself is named in the article ("Karlsruhe", "Köln" for "Kölner" is not guessed)."""
    for adj, noun in pairwise(words):
        if not (adj.endswith("er") and adj[:1].isupper() and noun.lower() in _LOCAL):
            continue
        for town in (adj[:-1], adj[:-2]):  # "Karlsruher" -> "Karlsruhe", "Berliner" -> "Berlin"
            if len(town) > 2 and re.search(rf"\b{re.escape(town)}\b", text):
                return f"{noun} {town}"
    return None


# Words the text extraction glues to a surname ("interpretiert Niesslnicht als", "Niesslerneuerte
# seine Forderung"): only these, never any lowercase rest ("Kurzarbeit" is not "Kurz").
_GLUED_WORDS = frozenset(
    {"nicht", "als", "und", "ist", "hat", "sagte", "sagt", "erneuerte", "betonte", "meinte"}
    | {"said", "says", "and"}
)


def glued_surname(word: str, surnames: set[str]) -> str:
    """ "Niesslnicht" -> "Niessl" when "Niessl" is a known surname and "nicht" a glued word."""
    for name in surnames:
        if len(name) > 3 and word.startswith(name) and word[len(name) :] in _GLUED_WORDS:
            return name
    return word
