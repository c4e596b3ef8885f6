"""The article's structure (claims/nlp/structure.py) on snippets of real news pages, as
trafilatura leaves them: which units are claim candidates, their segment, exact offsets."""

import pytest

from claims.nlp.pipelines import claim_pipeline

# The seed article's first lines (SPIEGEL-style: kicker, headline and teaser on one line, a photo
# credit at its end), a pull quote as subhead, and another article's teaser below the text.
SEED = (
    "Atomare Abrüstung - Keine Einigung beim Nordkorea-Gipfel Kim Jong Un und Donald Trump haben "
    "sich nicht auf ein Abkommen zur Denuklearisierung Nordkoreas verständigt. »Manchmal muss man "
    "einfach aufstehen und gehen«, sagte Trump. © Foto: Andrew Harnik/dpa\n\n"
    "Das Gipfeltreffen zwischen US-Präsident Donald Trump und Nordkoreas Machthaber Kim Jong Un in "
    "Hanoi hat keinen Durchbruch gebracht.\n\n"
    '"Alle Sanktionen bleiben natürlich in Kraft"\n\n'
    "Die USA waren laut Trumps Aussagen bei den Verhandlungen zu großen Zugeständnissen bereit. Da "
    'es jedoch zu keiner Einigung gekommen sei, "bleiben vorerst alle Sanktionen gegen Nordkorea '
    'natürlich in Kraft", sagte der US-Präsident.\n\n'
    "Gipfel - »Trump hat nichts bekommen« Das Gipfeltreffen zwischen Donald Trump und Kim Jong Un "
    "ist gescheitert. Unser Reporter Frederic Spohr berichtet aus Hanoi.\n\n"
    "Diplomatische Beziehungen angestrebt\n\n"
    "Trump und Kim hatten sich zuvor für ein mögliches Verbindungsbüro der USA in Nordkorea "
    "ausgesprochen."
)
SEED_TITLE = (
    "Atomare Abrüstung - Keine Einigung beim Nordkorea-Gipfel Kim Jong Un und Donald Trump haben "
    "sich nicht auf ein Abkommen zur Denuklearisierung Nordkoreas verständigt. »Manchmal muss man "
    "einfach aufs…"
)


def units(text: str, lang: str, title: str | None = None):
    nlp = claim_pipeline(lang)
    doc = nlp.make_doc(text)
    doc._.article_title = title
    analyses = nlp(doc)._.claim_analysis
    return [(text[a.start : a.end], a.segment, a.candidate, a.claim_type) for a in analyses]


def unit(found, fragment: str):
    hits = [u for u in found if fragment in u[0]]
    assert len(hits) == 1, f"{fragment!r} matched {hits}"
    return hits[0]


@pytest.fixture(scope="module")
def seed_units():
    return units(SEED, "de", SEED_TITLE)


def test_headline_glued_to_the_teaser_is_split(seed_units):
    assert seed_units[0][:3] == (
        "Atomare Abrüstung - Keine Einigung beim Nordkorea-Gipfel",
        "headline",
        True,
    )
    text, segment, candidate, _ = seed_units[1]
    assert text.startswith("Kim Jong Un und Donald Trump haben sich nicht")
    assert (segment, candidate) == ("lead", True)


def test_photo_credit_byline_teaser_are_context(seed_units):
    assert unit(seed_units, "© Foto")[1:3] == ("credit", False)
    assert unit(seed_units, "Gipfel - »Trump hat nichts")[1:3] == ("teaser", False)
    assert unit(seed_units, "ist gescheitert")[1:3] == ("teaser", False)
    assert unit(seed_units, "Unser Reporter Frederic Spohr")[1:3] == ("teaser", False)


def test_pull_quote_counted_once(seed_units):
    assert unit(seed_units, '"Alle Sanktionen bleiben')[1:4] == ("quote", False, "not_claim")
    assert unit(seed_units, "Da es jedoch zu keiner Einigung")[2] is True


def test_subhead_without_claim_is_context_body_is_candidate(seed_units):
    assert unit(seed_units, "Diplomatische Beziehungen angestrebt")[1:3] == ("subhead", False)
    assert unit(seed_units, "Verbindungsbüro der USA")[1:3] == ("body", True)


def test_offsets_are_exact_and_cover_the_text(seed_units):
    nlp = claim_pipeline("de")
    doc = nlp.make_doc(SEED)
    doc._.article_title = SEED_TITLE
    analyses = nlp(doc)._.claim_analysis
    pos = 0
    for a in analyses:
        assert SEED[pos : a.start].strip() == ""  # nothing skipped between units
        assert SEED[a.start : a.end] == SEED[a.start : a.end].strip()
        pos = a.end
    assert SEED[pos:].strip() == ""


@pytest.mark.parametrize(
    ("lang", "line", "segment"),
    [
        ("de", "Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR", "byline"),
        ("en", "By Urs Gehriger and Florian Schwab", "byline"),
        ("en", "(Reporting by Will Dunham; Editing by Tom Brown)", "byline"),
        ("en", "Keith Bradsher contributed reporting from Hong Kong.", "byline"),
        ("de", "(JP)", "byline"),
        ("en", "Main image credit: Getty", "credit"),
        ("en", "— The Economist (@TheEconomist) November 6, 2023", "credit"),
        ("en", "PTI", "credit"),
        ("en", "- VIDEO: The 20-second hand wash", "teaser"),
        ("en", "Read more: Tencent profit falls as Alibaba threat weighs", "teaser"),
        ("en", "Plane passengers quarantined after BUBONIC PLAGUE outbreak [NEWS]", "teaser"),
        ("en", "Show all 50", "cta"),
        ("en", "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.", "cta"),
        ("de", "Jetzt Fan der AK-Kurier.de Lokalausgabe auf Facebook werden!", "cta"),
        ("de", "fr.de ist Teil des bundesweiten Ippen.Media Redaktionsnetzwerks.", "notice"),
        ("de", "Wir verwenden Cookies um diese Website optimal gestalten zu können.", "notice"),
        ("en", "This copy is for your personal, non-commercial use only.", "notice"),
        ("de", "Telefon: +43 (0) 50 11 50 - 3320", "notice"),
        ("en", "More:", "navigation"),
        ("de", "Oberstdorf Resort › Interaktiv › Blog", "navigation"),
        ("en", "Story continues below gallery", "navigation"),
        ("de", "10.06.2018 22:00", "byline"),
        ("en", "SEE MORE: Hong Kong protests: 800 students under siege in university", "teaser"),
        ("en", "China furious at Macron for Hong Kong protest jibe [INSIGHT]|", "teaser"),
        ("en", "Write to Al Root at allen.root@dowjones.com", "byline"),
    ],
)
def test_page_furniture_is_not_a_candidate(lang, line, segment):
    body = (
        "Die Regierung hat am Montag ein neues Gesetz beschlossen, das die Mieten begrenzt."
        if lang == "de"
        else "The government passed a new law on Monday that caps rents in the capital."
    )
    found = units(f"{body}\n{line}\n{body.replace('M', 'D')}", lang)
    text, seg, candidate, claim_type = unit(found, line.lstrip("- ")[:12])
    assert (seg, candidate, claim_type) == (segment, False, "not_claim")
    assert [u[2] for u in found if u[0] != text] == [True, True]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "By Monday, the company said it had cut 300 jobs in Ohio."),
        ("de", "Von Berlin aus fliegt die Kanzlerin am Montag nach Washington."),
        ("en", "More than 10 million people signed up for the program last year."),
        ("de", "Die Zeitung ist Teil der Debatte über die Pressefreiheit geworden."),
        ("en", "The Palestinian Authority - which considers the US biased - refused to attend."),
        ("de", "Für Xbox Cloud Gaming müssen Zocker den teureren Game Pass abonnieren."),
        ("en", "Millions of people subscribe to the service in India."),
        ("en", "About 300 people died in the floods, officials said."),
    ],
)
def test_sentences_that_look_like_furniture_stay_candidates(lang, line):
    found = units(f"Headline of the page\n{line}", lang, "Headline of the page")
    assert unit(found, line[:20])[2] is True


def test_quote_over_several_sentences_is_one_unit():
    text = (
        "Der Minister äußerte sich am Abend. Er sagte: »Das ist falsch. Wir haben fünf Millionen "
        "Euro gezahlt. Mehr nicht.« Danach ging er."
    )
    found = [u[0] for u in units(text, "de")]
    assert found == [
        "Der Minister äußerte sich am Abend.",
        "Er sagte: »Das ist falsch. Wir haben fünf Millionen Euro gezahlt. Mehr nicht.«",
        "Danach ging er.",
    ]
    text = "“This is wrong. We paid $5 million. Nothing more,” the minister said. Then he left."
    assert units(text, "en")[0][0].endswith("the minister said.")


def test_drop_cap_and_list_items():
    found = units("Titel\nD\nie Regierung hat 2019 ein Gesetz beschlossen.", "de", "Titel")
    assert found[1][0] == "D\nie Regierung hat 2019 ein Gesetz beschlossen."
    text = "Build that.\n- Build an initial funnel: attract prospects.\n- Test it."
    assert [u[0] for u in units(text, "en")] == [
        "Build that.",
        "- Build an initial funnel: attract prospects.",
        "- Test it.",
    ]


def test_list_items_after_the_article_are_teasers():
    text = (
        "The Steelers spent Monday trying to distance themselves from the fight.\n"
        "Browns DL Sheldon Richardson, however, decided to weigh in.\n"
        "- Gronk, Serena perform with Laker Girls Gronk may have found his true calling\n"
        "- Rams top Bears as offenses struggle Neither team could get much going on Sunday night"
    )
    found = units(text, "en")
    assert [u[1:3] for u in found[2:]] == [("teaser", False), ("teaser", False)]


def test_headline_carrying_the_claim_is_typed_by_content():
    text = "Deutsche Bank schließt nach fast 60 Jahren Filiale in Betzdorf\nVon Jennifer Patt\n"
    text += "Nach beinahe sechs Jahrzehnten schließt die Deutsche Bank ihre Filiale in Betzdorf."
    found = units(text, "de", "Deutsche Bank schließt nach fast 60 Jahren Filiale in Betzdorf")
    assert found[0][1:4] == ("headline", True, "quantity")
    assert found[1][1:3] == ("byline", False)
    assert found[2][1:3] == ("lead", True)


def test_press_release_contact_and_about_blocks_are_notices():
    text = (
        "Fünf Preisträger von Jugend forscht präsentieren ab morgen drei Projekte in Nürnberg.\n"
        "Pressekontakt:\nStiftung Jugend forscht e. V.\nDr. Daniel Giese\nBaumwall 3\n"
        "20459 Hamburg\n"
        "About my6sense\n"
        "my6sense offers an open programmatic native advertising platform for ad networks.\n"
        "The company’s technology combines the best of traditional and advanced native."
    )
    found = units(text, "de")
    assert found[0][2] is True
    assert {u[1:3] for u in found[1:]} == {("notice", False)}
