"""Page furniture in German and English news text, as trafilatura leaves it: bylines, credits,
teasers, calls to action, notices, navigation. Patterns over one unit (a sentence) or its line;
kept apart from the rules in :mod:`claims.nlp.structure` that place them.

Each pattern comes from a real page (the comment names the kind of site) and is anchored or
narrow, because a false hit removes a claim from the queue: a pattern that can match inside a
news sentence ("newsletter", "subscribe") only counts on a short unit.
"""

from __future__ import annotations

import re

TERMINAL = (".", "!", "?", "…", ";")
QUOTES = '»«„“”"‚‘’›‹'

# "Atomare Abrüstung - ", "Gipfel - ": a topic word or two before the headline (SPIEGEL, ZEIT).
# A hyphen with spaces only: datelines use an en dash ("Santiago de Chile – Wegen ...").
KICKER = re.compile(
    r"(?!(?:The|A|An|Der|Die|Das|Ein|Eine) )[A-ZÄÖÜ][\w.-]*(?: [\w.-]+){0,2} - (?=[A-ZÄÖÜ»„“\"])"
)

_LIST_MARK = re.compile(r"^(?:[-–•▪*]\s+|\[)")
_F = re.IGNORECASE

# --- one unit (sentence), anywhere ---
_CREDIT = [
    re.compile(r"^©"),
    re.compile(
        r"^\(?(?:Fotos?|Bild|Bilder|Photos?|Images?|Main image credit|Bildquelle|"
        r"Grafik|Quelle|Source|Credit)\s*:",
        _F,
    ),
    re.compile(r"^\(?(?:Photo|Foto|Picture)s? (?:by|von)\b", _F),
    # an agency on its own line: "PTI", "(dpa)", "dpa/AFP"
    re.compile(
        r"^\(?(?:dpa|afp|ap|reuters|pti|kna|epd|sid|apa|ians|ani|ddp|efe|ansa)"
        r"(?:\s*[/,]\s*(?:dpa|afp|ap|reuters|kna|epd|sid|apa|ddp))*\)?\.?$",
        _F,
    ),
    # an embedded tweet's footer: "— The Economist (@TheEconomist) November 6, 2023"
    re.compile(r"^[—–-]\s.*\(@\w+\)\s+\w+\.? \d{1,2}, \d{4}$"),
    re.compile(r"(?:Getty Images|Shutterstock|iStock|imago images|picture alliance)[^.]{0,40}$"),
]
_BYLINE = [
    re.compile(r"^\(?(?:Reporting|Additional reporting|Writing|Editing) by\b", _F),
    re.compile(r"\bcontributed (?:reporting|to this (?:report|story))\b", _F),
    re.compile(r"^Staff Reports?$|^Staff and wire reports?$", _F),
    re.compile(r"^(?:Mit Material von|Mit Agenturmaterial|Mitarbeit:)", _F),
    re.compile(r"^\((?:[A-Za-zÄÖÜäöü]{1,5})(?:\s*[/,]\s*[A-Za-zÄÖÜäöü]{1,5})*\)$"),  # "(mwo)"
    re.compile(r"^(?:https?://)?(?:www\.)?(?:twitter|x)\.com/\w+$", _F),
    re.compile(r"^@\w+$"),
    re.compile(
        r"^(?:Write to|Contact|Schreiben Sie an|Kontakt zum Autor:?) [A-ZÄÖÜ]\w+(?: \w+)? "
        r"(?:at|an|unter) \S+@\S+$"
    ),
]
# "Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR", "By Jane Doe and ..."
_BYLINE_NAMES = re.compile(
    r"^(?:Von|By|Text|Ein Kommentar von|Eine Analyse von|Ein Gastbeitrag von|Analysis by)\s+"
    r"[A-ZÄÖÜ]"
)
_TEASER = [
    re.compile(
        r"^\[?(?:Read more|Read also|Related|See also|See more|Also read|More from|Most read|"
        r"Lesen Sie (?:auch|mehr|hier)|Mehr zum Thema|Auch interessant|Weiterlesen|"
        r"Meistgelesen|Zum Thema|Mehr dazu|Das könnte Sie auch interessieren)\b",
        _F,
    ),
    re.compile(
        r"^(?:VIDEO|WATCH|AUDIO|PODCAST|LIVE|Bildergalerie|Fotostrecke|Liveticker|"
        r"Video|Watch|Audio|Podcast|Live)\s*:"
    ),
    re.compile(r"^(?:DON'T MISS|DON’T MISS|MORE ON THIS|NICHT VERPASSEN)\b"),
    # a linked headline tagged with its section or source: "... [INSIGHT]", "... [Bloomberg]"
    re.compile(r"\[(?:[A-Z][A-Z ]{2,}|[A-Z][\w.&' ]{2,30})\]\s*\|?$"),
    re.compile(r"^Unser(?:e)? (?:Reporter(?:in)?|Korrespondent(?:in)?) \w+ \w+ berichte", _F),
]
_CTA = [
    re.compile(
        # the verbs only as an invitation: "Für Xbox Cloud Gaming müssen Zocker ... abonnieren"
        # and "Millions subscribe to Netflix" are claims
        r"^(?:subscribe|sign up)\b|\bto (?:subscribe|sign up)\b|\bsubscribe (?:now|today|here)\b|"
        r"\b(?:jetzt|hier|kostenlos|gratis) (?:\w+ )?abonnieren\b|\babonnieren sie\b|"
        r"\babonniere (?:jetzt|hier|unseren)\b|"
        r"\b(?:our|free|daily|weekly|unseren?|kostenlosen?) newsletter\b|\bnewsletter$|"
        r"\b(?:click here|"
        r"klicken sie hier|klicke hier|hier klicken|download the app|get the app|"
        r"thanks for signing up|keep an eye on your inbox|join our|follow \w+ on|"
        r"follow us|folgen sie uns|jetzt fan|reach the reporters?|contact the author|"
        r"share this|by clicking here|on the go|listen back|listen to \w+ live)\b",
        _F,
    ),
    re.compile(
        r"^(?:Follow|Folgen Sie|Like)\b.{0,60}\b(?:Facebook|Twitter|Instagram|YouTube|TikTok)\b"
    ),
    re.compile(r"^Get the (?:day's|day’s|week's|week’s|latest) ", _F),
    re.compile(r"Click To Tweet|\binstant download\b", _F),
    re.compile(r"^(?:Order Reprints|Print|Email|Share|Tweet)(?: this)?(?: Article| Story)?$", _F),
    re.compile(r"^(?:Show all|Alle anzeigen|Mehr anzeigen|Load more|Mehr laden)\b", _F),
]
_NOTICE = [
    re.compile(r"\bist (?:ein )?Teil de[sr] .{0,80}(?:netzwerk|Netzwerk|Gruppe)", _F),
    re.compile(
        r"\b(?:cookies?|all rights reserved|alle rechte vorbehalten|privacy policy|"
        r"datenschutzerklärung|terms of use|nutzungsbedingungen)\b",
        _F,
    ),
    re.compile(
        r"^This (?:article|story) (?:has been|was) (?:adapted|originally published|updated)", _F
    ),
    re.compile(r"^Dieser (?:Artikel|Beitrag) (?:erschien|ist) (?:zuerst|ursprünglich)", _F),
    re.compile(r"^Sorry!?$|error processing your subscription", _F),
    re.compile(
        r"^(?:Rückfragehinweis|Pressekontakte?|Achtung Redaktion|Presseabteilung|"
        r"Impressum|Kontakt|Media contact|Press contact|Advertisement|Anzeige|Werbung)"
        r"\b\s*:?\s*$",
        _F,
    ),
    re.compile(r"^(?:Telefon|Tel\.|Fax|E-Mail|Email|Mail|Phone)\s*[:.]", _F),
    re.compile(r"^Fotos? zum Download", _F),
    # reprint notices (Dow Jones): "This copy is for your personal, non-commercial use only."
    re.compile(
        r"personal, non-commercial use|presentation-ready copies|"
        r"^This (?:article|story) has been sent to",
        _F,
    ),
    re.compile(r"^(?:Copyright|\(c\))\b", _F),
]
_EMAIL_OR_URL = re.compile(
    r"\S+@\S+\.\w{2,}|\S+\(at\)\S+|https?://\S+|\bwww\.\S+\.\w+|\bbit\.ly/|\bt\.co/"
)
# A date or time stamp on its own line: "23.01.2019", "10.06.2018 22:00", "Hamburg, 2. November
# 2021", "Nov. 18, 2019 5:45 p.m. ET", "Updated 3:12 PM EST".
_STAMP = re.compile(
    r"^(?:(?:Updated|Published|Aktualisiert|Veröffentlicht|Stand)\b:?\s*)?"
    r"(?:[A-ZÄÖÜ][\w. -]{1,30},\s*)?"
    r"(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\d{1,2}\.? [A-ZÄÖÜ][a-zä]+\.? \d{4}|"
    r"[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})?"
    r"(?:,?\s*(?:um\s)?\d{1,2}[:.]\d{2}\s*(?:Uhr|[ap]\.?m\.?|AM|PM)?\s*(?:[A-Z]{2,4})?)?$"
)
# "About my6sense", "Über die Stiftung Jugend forscht": the press release's boilerplate section
ABOUT_HEAD = re.compile(
    r"^(?:About|Über) (?:(?:the|die|den|das) )?(?:[A-ZÄÖÜ][\w.&-]*|[a-z]+\d\w*)(?: \S+){0,3}$"
)
CONTACT_HEAD = re.compile(
    r"^(?:Rückfragehinweis|Pressekontakte?|Kontakt|Media contacts?|Press contacts?|"
    r"Für Rückfragen|Medienkontakt)\b",
    re.IGNORECASE,
)
_NAVIGATION = [
    re.compile(r"^(?:Home|Startseite)\s*[>»/|›]", _F),
    re.compile(
        r"^(?:More|Mehr|Hintergrund|Weitere Informationen|Related articles|Top stories|"
        r"Comments?|Kommentare?|Share|Teilen|Zurück|Nach oben|Back to top)\s*:?$",
        _F,
    ),
    re.compile(r"^Story continues below", _F),
    re.compile(r"^(?:Lokales|Regionales|Sport|Politik|Wirtschaft|Kultur|News)\s*:\s", _F),
]


def normalise(text: str) -> str:
    out = "".join(" " if ch in QUOTES or ch in "()[]" else ch for ch in text.lower())
    return " ".join(out.split()).strip(" .!?:;,")


def _mostly_names(words: list[str]) -> bool:
    """A byline's words after "Von"/"By": names, commas, "und"/"and", an outlet ("NDR")."""
    content = [w for w in words if w.lower() not in ("und", "and", "von", "by", "&", "mit", "with")]
    caps = [w for w in content if w[:1].isupper() or w[:1] == "@"]
    return bool(content) and len(caps) >= 0.8 * len(content)


def boilerplate(unit: str, line: str, whole_line: bool) -> str | None:
    """The boilerplate kind of one unit, or None. ``line`` is the unit's whole line."""
    text = unit.strip()
    core = _LIST_MARK.sub("", text).lstrip()
    words = core.split()
    n = len(words)
    if not words:
        return None
    for pat in _CREDIT:
        if pat.search(core) and (n <= 14 or pat.pattern.startswith("^©")):
            return "credit"
    for pat in _BYLINE:
        if pat.search(core):
            return "byline"
    if (
        _BYLINE_NAMES.match(core)
        and n <= 14
        and not core.endswith(("?", "!"))
        and _mostly_names([w.strip(",.;") for w in words[1:]])
    ):
        return "byline"
    for pat in _TEASER:
        if pat.search(core):
            return "teaser"
    for pat in _NOTICE:
        if pat.search(core) and n <= 30:
            return "notice"
    for pat in _CTA:
        if pat.search(core) and n <= 25:
            return "cta"
    if _EMAIL_OR_URL.search(core) and n <= 20:
        return "notice" if "@" in core and "(@" not in core else "teaser"
    for pat in _NAVIGATION:
        if pat.search(core):
            return "navigation"
    if whole_line:
        stripped = line.strip()
        if any(ch.isdigit() for ch in stripped) and _STAMP.match(stripped):
            return "byline"  # the date line of the byline block
        # breadcrumbs and site names: "Zeitung für Deutschland · Das Ostpreußenblatt · ..."
        if sum(stripped.count(sep) for sep in (" · ", " | ", " > ", " » ", " › ")) >= 2:
            return "navigation"
        if stripped.endswith(":") and len(stripped.split()) <= 4:
            return "navigation"  # "More:", "Hintergrund:", "Weitere Informationen:"
    return None
