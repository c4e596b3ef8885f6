"""Numbers, percentages, money, dates and durations in German and English, with normalised values.

Rules, not a model: number formats are regular, and a fact-checker needs the value exactly
("5,7 Prozent" -> 5.7 %, "seit mehr als einem Jahr" -> P1Y). Offsets are relative to the string
in; callers add the sentence's offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.nlp.number_lexicon import (
    ARTICLES,
    CURRENCIES,
    DURATION_UNITS,
    MONTHS,
    SCALES,
    UNITS,
    WORD_NUMBERS,
)

# kind values of NumberMention
NUMBER, PERCENT, MONEY, DATE, DURATION, ORDINAL = (
    "number",
    "percent",
    "money",
    "date",
    "duration",
    "ordinal",
)


@dataclass(frozen=True)
class NumberMention:
    """A number-like expression. ``value`` is the number (years for a year date, the count of units
    for a duration); ``normalized`` is an ISO date (2019-02-28, 2019-02, 2019), an ISO-8601 duration
    (P1Y, P3M, P10D), or the plain value with its unit ("5.7%", "1500000000 EUR", "1500")."""

    text: str
    kind: str
    value: float | None
    unit: str | None
    normalized: str | None
    start: int
    end: int

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "normalized": self.normalized,
            "start": self.start,
            "end": self.end,
        }


_NUM_DE = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_NUM_EN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORDS = {lang: "|".join(sorted(w, key=len, reverse=True)) for lang, w in WORD_NUMBERS.items()}
_SCALE = "|".join(re.escape(s) for s in sorted(SCALES, key=len, reverse=True))
_CUR = "|".join(re.escape(c) for c in sorted(CURRENCIES, key=len, reverse=True))
_MONTH = "|".join(re.escape(m) for m in sorted(MONTHS, key=len, reverse=True))
_DUR = "|".join(sorted(DURATION_UNITS, key=len, reverse=True))
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_QUAL = {
    "de": r"(?:mehr als|über|weniger als|unter|knapp|fast|rund|etwa|ungefähr|mindestens|höchstens)",
    "en": r"(?:more than|over|less than|under|nearly|almost|about|around|roughly|at least|at most)",
}
_B = r"(?<![\w.,])(?<![^\W\d_]-)"  # not inside a word or number, nor "COVID-19"
_E = r"(?![\w])"


def _compile(lang: str) -> dict[str, re.Pattern]:
    num = _NUM_DE if lang == "de" else _NUM_EN
    words = _WORDS[lang]
    qual = _QUAL[lang]
    amount = rf"(?:{num}|{words})"
    flags = re.IGNORECASE
    pats = {
        # German "12. März 2019", "28. Februar"; English "February 28, 2019", "28 February 2019"
        "date_dmy": rf"{_B}(?P<d>\d{{1,2}})\.?\s+(?P<m>{_MONTH})(?:\s+(?P<y>\d{{4}}))?{_E}",
        "date_mdy": (
            rf"{_B}(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
            rf"(?:,?\s+(?P<y>\d{{4}}))?{_E}"
        ),
        "date_my": rf"{_B}(?P<m>{_MONTH})\s+(?P<y>\d{{4}}){_E}",
        "date_num": rf"{_B}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}}){_E}",
        "date_iso": rf"{_B}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}}){_E}",
        "duration": (
            rf"{_B}(?P<pre>(?:seit|for|in den letzten|in the last|in the past|over the past)\s+)?"
            rf"(?P<q>{qual}\s+)?(?P<n>{num}|{words})\s+(?P<u>{_DUR}){_E}"
        ),
        "duration_bare": (
            rf"{_B}(?P<pre>seit|for)\s+(?P<q>{qual}\s+)?"
            r"(?P<u>jahren|years|monaten|months|wochen|weeks|tagen|days|decades|jahrzehnten)"
            rf"{_E}"
        ),
        "money_pre": rf"(?P<c>[€$£])\s?(?P<n>{num})(?:\s?(?P<s>{_SCALE}))?{_E}",
        "money_post": rf"{_B}(?P<n>{amount})(?:\s+(?P<s>{_SCALE}))?\s+(?P<c>{_CUR}){_E}",
        "money_post_sym": rf"{_B}(?P<n>{num})(?:\s?(?P<s>{_SCALE}))?\s?(?P<c>[€$£])",
        "percent": (
            rf"{_B}(?P<n>{amount})\s?"
            rf"(?P<u>%|prozentpunkte[n]?|prozent|percentage points|per cent|percent){_E}"
        ),
        "ordinal": rf"{_B}(?P<n>\d{{1,2}})\.(?=\s+[A-ZÄÖÜ])"
        if lang == "de"
        else rf"{_B}(?P<n>\d+)(?:st|nd|rd|th){_E}",
        "year": rf"{_B}(?P<y>1[5-9]\d\d|20\d\d)(?:er(?:n|jahre[n]?)?)?{_E}",
        "number": (rf"{_B}(?P<n>{num}|{words})(?:\s+(?P<s>{_SCALE}))?(?:\s+(?P<u>{_UNIT}))?{_E}"),
    }
    return {k: re.compile(v, flags) for k, v in pats.items()}


_PATTERNS = {lang: _compile(lang) for lang in ("de", "en")}
# Order matters: earlier kinds win overlapping spans.
_ORDER = (
    "date_iso",
    "date_num",
    "date_dmy",
    "date_mdy",
    "date_my",
    "duration",
    "duration_bare",
    "money_pre",
    "money_post",
    "money_post_sym",
    "percent",
    "ordinal",
    "year",
    "number",
)


def parse_number(text: str, lang: str) -> float | None:
    """Parse "1.500,5" (de), "1,500.5" (en), "zwei"/"two" into a float."""
    t = text.strip().lower()
    if t in WORD_NUMBERS[lang]:
        return float(WORD_NUMBERS[lang][t])
    t = t.replace(".", "").replace(",", ".") if lang == "de" else t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def _scale(word: str | None, lang: str) -> float:
    if not word:
        return 1.0
    w = word.lower()
    if w == "billion":
        return 1e9 if lang == "en" else 1e12
    if w == "m" and lang != "en":
        return 1.0
    return SCALES.get(w, 1.0)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e18 else repr(value)


def _year(y: str) -> int:
    v = int(y)
    return v + 2000 if v < 100 and len(y) == 2 else v


def _mention(m: re.Match, kind: str, lang: str) -> NumberMention | None:
    g = m.groupdict()
    text, start, end = m.group(0), m.start(), m.end()
    if kind.startswith("date"):
        mon = g.get("m")
        month = int(mon) if mon and mon.isdigit() else MONTHS.get((mon or "").lower())
        if not month or not 1 <= month <= 12:
            return None
        day = int(g["d"]) if g.get("d") else None
        if day is not None and not 1 <= day <= 31:
            return None
        year = _year(g["y"]) if g.get("y") else None
        parts = [f"{year:04d}" if year else "XXXX", f"{month:02d}"]
        if day:
            parts.append(f"{day:02d}")
        return NumberMention(
            text, DATE, float(year) if year else None, None, "-".join(parts), start, end
        )
    if kind.startswith("duration"):
        n = g.get("n")
        value = parse_number(n, lang) if n else None
        if n and value is None:
            return None
        if n and n.lower() in ARTICLES and not (g.get("pre") or g.get("q")):
            return None  # "$4 billion a year" is a rate; "seit einem Jahr" is a duration
        designator, unit = DURATION_UNITS[g["u"].lower()]
        if designator == "Y10":
            designator, iso_value = "Y", (value or 1) * 10
        else:
            iso_value = value if value is not None else None
        if iso_value is None:  # "seit Jahren": a duration of unknown length
            return NumberMention(text.strip(), DURATION, None, unit, None, start, end)
        return NumberMention(
            text.strip(),
            DURATION,
            value,
            unit,
            f"P{'T' if designator == 'H' else ''}{_fmt(iso_value)}{designator}",
            start,
            end,
        )
    if kind.startswith("money"):
        n = g["n"]
        if n.lower() in ARTICLES:
            return None
        value = parse_number(n, lang)
        if value is None:
            return None
        value *= _scale(g.get("s"), lang)
        cur = CURRENCIES.get(g["c"].lower(), g["c"].upper())
        return NumberMention(text, MONEY, value, cur, f"{_fmt(value)} {cur}", start, end)
    if kind == "percent":
        if g["n"].lower() in ARTICLES:
            return None
        value = parse_number(g["n"], lang)
        if value is None:
            return None
        unit = "pp" if "punkt" in g["u"].lower() or "point" in g["u"].lower() else "%"
        return NumberMention(text, PERCENT, value, unit, f"{_fmt(value)}{unit}", start, end)
    if kind == "ordinal":
        value = float(g["n"])
        return NumberMention(text, ORDINAL, value, None, _fmt(value), start, end)
    if kind == "year":
        y = g["y"]
        if text[len(y) :]:  # "1990er", "1980ern": a decade
            return NumberMention(text, DATE, float(y), None, f"{y[:3]}X", start, end)
        return NumberMention(text, DATE, float(y), None, y, start, end)
    # plain number, with optional scale and unit
    n = g["n"]
    if n.lower() in ARTICLES:
        return None
    value = parse_number(n, lang)
    if value is None:
        return None
    if n.isalpha() and value == 1 and not g.get("s") and not g.get("u"):
        return None  # "one of the most ...": a pronoun more often than a quantity
    value *= _scale(g.get("s"), lang)
    unit = UNITS.get(g["u"].lower()) if g.get("u") else None
    normalized = f"{_fmt(value)} {unit}" if unit else _fmt(value)
    return NumberMention(text, NUMBER, value, unit, normalized, start, end)


def find_numbers(text: str, lang: str, offset: int = 0) -> list[NumberMention]:
    """All number mentions in ``text``, non-overlapping, in order; offsets shifted by ``offset``."""
    lang = lang if lang in _PATTERNS else "en"
    taken: list[tuple[int, int]] = []
    found: list[NumberMention] = []
    for kind in _ORDER:
        for m in _PATTERNS[lang][kind].finditer(text):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for ts, te in taken):
                continue
            mention = _mention(m, kind, lang)
            if mention is None:
                continue
            # _mention may strip surrounding spaces; keep offsets consistent with the text
            s = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            mention = NumberMention(
                mention.text,
                mention.kind,
                mention.value,
                mention.unit,
                mention.normalized,
                s + offset,
                s + len(mention.text) + offset,
            )
            taken.append((m.start(), m.end()))
            found.append(mention)
    found.sort(key=lambda x: x.start)
    return found
