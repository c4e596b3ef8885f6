"""Anchor relative times in a claim to the article's publication date.

"gestern", "yesterday", "on Tuesday", "last year" become dates; relative spans that cannot be
turned into a date ("seit mehr als einem Jahr", "two weeks ago", "so far") keep their words and get
the date they are measured from: "(Stand: 28. Februar 2019)", "(as of November 18, 2019)".
"""

from __future__ import annotations

import re
from datetime import date, timedelta


def _words(text: str) -> list[str]:
    return text.split()


_DE_MONTHS = _words(
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
)
_EN_MONTHS = _words(
    "January February March April May June July August September October November December"
)
_EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DE_DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def de_date(d: date) -> str:
    return f"{d.day}. {_DE_MONTHS[d.month - 1]} {d.year}"


def en_date(d: date) -> str:
    return f"{_EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _month_shift(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _weekday(published: date, day: int, future: bool) -> date:
    """The date of the weekday ``day`` nearest the article: the last one on or before the
    publication date (news reports the past), the next one when the claim speaks of the future."""
    delta = (published.weekday() - day) % 7
    if future:
        return published + timedelta(days=(day - published.weekday()) % 7 or 7)
    return published - timedelta(days=delta)


_EN_FUTURE = re.compile(r"\b(will|would|is set to|are set to|plans? to|next|is due|are due)\b")
_DE_FUTURE = re.compile(r"\b(wird|werden|werde|soll|sollen|will|wollen|kommende[nrsm]?)\b")

_EN_UNIT = r"(week|month|year)"
_EN_REL = re.compile(
    rf"\b(?P<prep>(in|during|since|until|by|from|before|after|over) )?(?P<mod>(early|earlier|"
    rf"later|late) )?(?P<which>last|this|next|past) {_EN_UNIT}\b(?P<poss>['’]s)?",
    re.IGNORECASE,
)
_DE_REL = re.compile(
    r"\b(?P<prep>(im|in|seit|bis|ab|des) )?(?P<which>letzte[nrsm]?|vergangene[nrsm]?|diese[nrsm]?|"
    r"nächste[nrsm]?|kommende[nrsm]?) (?P<unit>Jahr|Jahres|Monat|Monats|Woche)\b"
)
_EN_DAY = re.compile(
    r"\b(?P<on>on )?(?P<which>(last|this|next) )?(?P<day>Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday)(?P<part> (morning|afternoon|evening|night))?(?!,? (January|February|"
    r"March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d)(?!'s|’s)\b"
)
_DE_PARTS = r"(?P<part>morgen|vormittag|mittag|nachmittag|abend|nacht)?"
_DE_DAY = re.compile(
    r"\b(?P<on>([Aa]m|[Vv]om|[Ss]eit|[Bb]is) )?"
    r"(?P<day>Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
    + _DE_PARTS
    + r"\b(?!,? (den )?\d)"
)
_REMAINING = {
    "en": re.compile(
        r"\b(\w+ (days?|weeks?|months?|years?|decades?) ago|so far|to date|currently|recently|"
        r"for (more than |nearly |almost |about )?(a|an|one|two|three|four|five|six|\d+) "
        r"(days?|weeks?|months?|years?)|in the (coming|next|past|last) (\w+ )?(days|weeks|"
        r"months|years)|now)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\b(vor (\w+ ){1,3}(Tagen|Wochen|Monaten|Jahren|Jahrzehnten)|seit (\w+ ){1,4}"
        r"(Tagen|Wochen|Monaten|Jahren|Jahr|Monat|Woche)|in den (nächsten|kommenden|vergangenen|"
        r"letzten) (\w+ )?(Tagen|Wochen|Monaten|Jahren)|bislang|bisher|derzeit|zurzeit|aktuell|"
        r"bisherige[nmrs]?|derzeitige[nmrs]?|jüngste[nmrs]?|"
        r"unlängst|kürzlich|jüngst|jetzt|nun|mittlerweile|inzwischen)\b",
        re.IGNORECASE,
    ),
}


def _en_rel(m: re.Match, published: date) -> str:
    which = m.group("which").lower()
    unit = m.group(0).split()[-1].lower().removesuffix("'s").removesuffix("’s")
    shift = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    prep = (m.group("prep") or "").strip()
    mod = (m.group("mod") or "").strip()
    if m.group("poss"):  # "last year's list" -> "2018's list"; "last week's" stays as written
        if prep or mod or unit == "week":
            return m.group(0)
        if unit == "year":
            return f"{published.year + shift}{m.group('poss')}"
        year, month = _month_shift(published, shift)
        return f"{_EN_MONTHS[month - 1]} {year}{m.group('poss')}"
    if unit == "year":
        when = str(published.year + shift)
    elif unit == "month":
        year, month = _month_shift(published, shift)
        when = f"{_EN_MONTHS[month - 1]} {year}"
    else:
        rel = {-1: "the week before", 0: "the week of", 1: "the week after"}[shift]
        return (
            f"{prep + ' ' if prep else 'in '}{mod + ' ' if mod else ''}{rel} {en_date(published)}"
        )
    if mod:
        return f"{prep + ' ' if prep else ''}{mod} in {when}"
    return f"{prep or 'in'} {when}"


def _de_rel(m: re.Match, published: date) -> str:
    which = m.group("which").lower()
    unit = m.group("unit").lower()
    shift = -1 if which.startswith(("letzt", "vergangen")) else 0 if which.startswith("dies") else 1
    prep = (m.group("prep") or "").strip()
    if unit.startswith("jahr"):
        year = published.year + shift
        if prep == "des":
            return f"des Jahres {year}"
        return f"{prep} {year}" if prep in ("seit", "bis", "ab") else f"im Jahr {year}"
    if unit.startswith("monat"):
        year, month = _month_shift(published, shift)
        when = f"{_DE_MONTHS[month - 1]} {year}"
        return f"{prep} {when}" if prep in ("seit", "bis", "ab", "des") else f"im {when}"
    rel = {-1: "in der Woche vor dem", 0: "in der Woche des", 1: "in der Woche nach dem"}[shift]
    return f"{rel} {de_date(published)}"


_PAST_EN = re.compile(r"(ed|said|told|was|were|did|met|held|took|made|won|lost|fell|rose)$")


def _future_near(text: str, start: int, end: int, lang: str) -> bool:
    """Whether the weekday at text[start:end] lies ahead: a future cue in the words around it,
    unless a past-tense verb comes right before it ("said on Tuesday it will ...")."""
    before = text[:start].split()[-4:]
    after = text[end:].split()[:3]
    if lang == "en":
        if any(_PAST_EN.search(w.lower().strip(",")) for w in before):
            return False
        return bool(_EN_FUTURE.search(" ".join(before[-3:] + after)))
    return bool(_DE_FUTURE.search(" ".join(text[:start].split()[-6:] + text[end:].split()[:6])))


def anchor_time(text: str, lang: str, published: date | None) -> str:
    """``text`` with its relative times anchored to ``published`` (unchanged when None)."""
    if published is None:
        return text
    yesterday, tomorrow = published - timedelta(days=1), published + timedelta(days=1)
    if lang == "en":
        text = _EN_REL.sub(lambda m: _en_rel(m, published), text)
        for word, day in (("yesterday", yesterday), ("today", published), ("tomorrow", tomorrow)):
            text = re.sub(rf"\b{word}\b", f"on {en_date(day)}", text, flags=re.IGNORECASE)
        text = re.sub(r"\btonight\b", f"on the night of {en_date(published)}", text)

        def day_sub(m: re.Match) -> str:
            which = (m.group("which") or "").strip().lower()
            ahead = which == "next" or (
                which != "last" and _future_near(m.string, m.start(), m.end(), "en")
            )
            when = _weekday(published, _EN_DAYS.index(m.group("day")), ahead)
            part = m.group("part") or ""
            after_prep = re.search(
                r"\b(by|until|before|after|since|from|through)\s*$", m.string[: m.start()]
            )
            if re.search(r"['’]s\s*$", m.string[: m.start()]):  # "NASA's Monday announcement"
                return f"{m.group('day')}{part} ({en_date(when)})"
            on = "" if after_prep else "on "
            return f"{on}{m.group('day')}{part}, {en_date(when)}"

        text = _EN_DAY.sub(day_sub, text)
        stamp = f"(as of {en_date(published)})"
    else:
        text = _DE_REL.sub(lambda m: _de_rel(m, published), text)
        for word, day in (("gestern", yesterday), ("vorgestern", yesterday - timedelta(days=1))):
            text = re.sub(rf"\b{word}\b", f"am {de_date(day)}", text, flags=re.IGNORECASE)
        text = re.sub(r"\bbis heute\b", f"bis zum {de_date(published)}", text)
        text = re.sub(r"\b[Hh]eute\b", f"am {de_date(published)}", text)
        text = re.sub(r"\b[Hh]euer\b", f"im Jahr {published.year}", text)
        text = re.sub(r"(?<![A-ZÄÖÜ])\bmorgen\b(?!\w)", f"am {de_date(tomorrow)}", text)

        def tag_sub(m: re.Match) -> str:
            ahead = _future_near(m.string, m.start(), m.end(), "de")
            when = _weekday(published, _DE_DAYS.index(m.group("day")), ahead)
            on = m.group("on") or "am "
            return f"{on}{m.group('day')}{m.group('part') or ''} ({de_date(when)})"

        text = _DE_DAY.sub(tag_sub, text)
        stamp = f"(Stand: {de_date(published)})"
    if _REMAINING[lang].search(text):
        text = _with_stamp(text, stamp)
    return text


def _with_stamp(text: str, stamp: str) -> str:
    stripped = text.rstrip()
    end = len(stripped)
    while end and stripped[end - 1] in ".!?":
        end -= 1
    closing = stripped[end:] or "."
    return f"{stripped[:end].rstrip()} {stamp}{closing}"
