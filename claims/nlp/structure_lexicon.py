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
    # "Cover image: ...", "Featured photo: ...", "Titelbild: ...", "Symbolfoto: ..." (captions)
    re.compile(
        r"^(?:[\w-]+ )?(?:image|photo|picture)\s*:|"
        r"^(?:Titel|Beitrags|Symbol|Vorschau|Header)(?:bild|foto)\s*:",
        _F,
    ),
    # data or widgets credited to a provider: "Kursdaten provided by ...", "Powered by ..."
    re.compile(r"\b(?:provided|powered|supplied) by\b|\bzur Verfügung gestellt von\b", _F),
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
    # an author's bio line: "Eric Song is IGN's deal curator ...", "Jane Doe is a senior reporter
    # at ...", "Dear Abby is written by ...", "Der Autor ist Redakteur bei ..."
    re.compile(
        r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3} (?:is|was) (?:an? |the |[A-Z][\w&.-]*['’]s )"
        r"(?:[\w-]+ ){0,4}(?:writer|editor|reporter|correspondent|columnist|contributor|"
        r"journalist|curator|producer|author|critic|blogger)s?\b"
    ),
    re.compile(r"^[A-Z][\w'’ ]{2,40} is (?:written|produced|edited) by\b"),
    re.compile(
        r"^(?:Der|Die|Unser|Unsere) (?:Autor|Autorin|Verfasser|Verfasserin)\b.{0,60}\b"
        r"(?:ist|war|arbeitet|schreibt|lebt)\b"
    ),
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
        r"Meistgelesen|Zum Thema|Mehr dazu|Das könnte Sie auch interessieren|"
        r"You (?:may|might) also (?:like|enjoy)|Recommended|Empfohlen|Lesetipp|"
        r"Read the (?:original|full) (?:article|story)|Read about\b)",
        _F,
    ),
    # the next part of a series: "Read about that topic in the next article in this series"
    re.compile(r"\b(?:next|previous|last) (?:article|part|post) (?:in|of) this series\b", _F),
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
        r"^share this|share this (?:article|story|post|page)|by clicking here|on the go|"
        r"listen back|listen to \w+ live)\b",
        _F,
    ),
    re.compile(
        r"^(?:Follow|Folgen Sie|Like)\b.{0,60}\b(?:Facebook|Twitter|Instagram|YouTube|TikTok)\b"
    ),
    re.compile(r"^Get the (?:day's|day’s|week's|week’s|latest) ", _F),
    re.compile(r"Click To Tweet|\binstant download\b", _F),
    re.compile(r"^(?:Order Reprints|Print|Email|Share|Tweet)(?: this)?(?: Article| Story)?$", _F),
    re.compile(r"^(?:Show all|Alle anzeigen|Mehr anzeigen|Load more|Mehr laden)\b", _F),
    # invitations to the reader: "Tell us what YOU think", "Have a tip?", "Be sure to check out",
    # "Click for full results", "Möchtest du mehr ... wissen?", "Hier findest du alle Infos!"
    re.compile(
        r"^(?:Tell us|Let us know|Have a (?:tip|story tip)|Got a (?:tip|question)|Sagen Sie uns|"
        r"Schreiben Sie uns|Schreibt uns|Teilen Sie|Teile)\b|"
        r"^(?:Be sure|Make sure|Don['’]t forget) to (?:check out|visit|follow|subscribe|sign up|"
        r"read|watch|listen)\b|^click\b|"
        r"^(?:Möchtest du|Möchten Sie|Willst du|Wollen Sie) mehr .{0,60}(?:wissen|erfahren)\?|"
        r"^hier (?:findest|finden|findet|kannst|können|könnt|gibt|geht|erfahren|erfährst)\b|"
        r"\b(?:findest du|finden Sie|findet ihr)\b.{0,60}\b(?:hier|unter|auf unserer|in unserem)\b|"
        r"(?:^|: |\byou can )(?:view|read|find|see|watch|listen to|download|get|learn)\b"
        r".{0,60}\bhere[.!]?$|"
        r"(?:^|: )(?:Learn more|Find out more|Mehr erfahren|Erfahren Sie mehr)\b|"
        r"\berhalten Sie (?:\w+ )?(?:Angebote|Rabatte|Vorteile|Zugang)\b|"
        r"\bexclusive (?:offers|deals|discounts)\b|"
        r"\b(?:use|enter) (?:the )?(?:promo |coupon |discount )?code\b|\bGutscheincode\b",
        _F,
    ),
    # podcasts and newsletters of the site: "on our weekly politics podcast"
    re.compile(r"\b(?:our|unseren?|unserem) (?:\w+ ){0,2}(?:podcast|newsletter)\b", _F),
]
_INVITE = re.compile(
    r"\b(?:follow|visit|find|join|connect|folge|folgt|folgen|besuche|besucht|besuchen|findet|"
    r"finden|findest)\b",
    _F,
)
# Social networks: a short unit naming two or more, with an invitation, is a follow prompt
_NETWORKS = re.compile(
    r"\b(?:Facebook|Twitter|Instagram|YouTube|TikTok|LinkedIn|Pinterest|Snapchat|Threads|"
    r"Mastodon|WhatsApp|Telegram|Bluesky)\b"
)
_NOTICE = [
    re.compile(r"\bist (?:ein )?Teil de[sr] .{0,80}(?:netzwerk|Netzwerk|Gruppe)", _F),
    re.compile(
        r"\b(?:cookies?|all rights reserved|alle rechte vorbehalten|privacy policy|"
        r"datenschutzerklärung|terms of use|nutzungsbedingungen)\b",
        _F,
    ),
    re.compile(
        r"^This (?:article|story|post|piece|interview) (?:has been|was|is|first) (?:\w+ )?"
        r"(?:adapted|published|updated|reprinted|republished|appeared|produced|corrected)",
        _F,
    ),
    # "Originally published on Live Science.", "First published in ..."
    re.compile(r"^(?:Originally|First|Zuerst|Ursprünglich) (?:published|erschienen)\b", _F),
    # opinion and affiliate disclaimers: "The views ... expressed ... do not necessarily reflect",
    # "ZDNet may earn a commission", "This sponsored deal is brought to you by ..."
    re.compile(
        r"\b(?:views|opinions)\b.{0,40}\bexpressed\b|\bdo(?:es)? not necessarily reflect\b|"
        r"\bgeben nicht (?:unbedingt |notwendigerweise )?die Meinung\b|"
        r"\bmay (?:earn|get|receive) (?:a )?(?:small )?(?:commission|share of the sale)|"
        r"\baffiliate (?:links?|commission)\b|\bAffiliate-Links?\b|"
        r"\bsponsored (?:deal|post|content)\b|"
        r"\bbrought to you by\b|\bhas been compensated\b|\bohne Gewähr\b|"
        r"\b(?:may|can) be reached (?:at|by|on)\b|\bist (?:per \w+ )?(?:unter|an) \S+ erreichbar\b|"
        r"\bletters to the editor\b|\bLeserbriefe?\b",
        _F,
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
# A paragraph that is an editor's note, correction or disclaimer, read on the whole line (its
# first sentence may end at "Nov."): "Editor's note: This story was updated ...", "Correction,
# Nov. 15, 2019: This article originally misidentified ...", "Disclosure: ZDNet may earn ..."
_NOTICE_LINE = re.compile(
    r"^(?:Editor['’]s note|Correction|Clarification|Disclaimer|Disclosure|Haftungsausschluss|"
    r"Offenlegung|Hinweis der Redaktion|Anm(?:erkung|\.) d(?:er|\.) Red(?:aktion|\.)?|"
    r"Korrektur|Transparenzhinweis)\b[^:]{0,40}:",
    _F,
)
_EMAIL_OR_URL = re.compile(
    r"\S+@\S+\.\w{2,}|\S+\(at\)\S+|https?://\S+|\bwww\.\S+\.\w+|\bbit\.ly/|\bt\.co/|"
    r"\[email(?:\s|&#160;)protected\]|"  # Cloudflare's obfuscated address
    # a bare domain the reader is sent to: "Weitere Infos gibt's unter kastnermotion.com."
    r"\b(?:unter|visit|besuchen Sie)\s+[\w-]+(?:\.[\w-]+)*\.(?:com|de|at|ch|org|net|"
    r"eu|info|co\.uk|io)\b"
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
    if _NOTICE_LINE.match(line.strip()) and len(line.split()) <= 80:
        return "notice"
    for pat in _CTA:
        if pat.search(core) and n <= 25:
            return "cta"
    if n <= 25 and len(set(_NETWORKS.findall(core))) >= 2 and _INVITE.search(core):
        return "cta"  # "Be sure to visit Arrowhead on Facebook, Twitter, and Instagram."
    if _EMAIL_OR_URL.search(core) and n <= 20:
        return "notice" if ("@" in core and "(@" not in core) or "[email" in core else "teaser"
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
