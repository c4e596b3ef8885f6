"""Page furniture read from the page's markup (claims.ingest.furniture), on a local page shaped
like the news pages where it survived trafilatura: a newsletter box in a ``section`` inside the
article ("Newsletter-container"), a disclaimer paragraph with its own class, a pull quote that
repeats a sentence of the body."""

from __future__ import annotations

import lxml.html

from claims.ingest.extract import MIN_TEXT_CHARS, extract_html
from claims.ingest.furniture import drop_furniture, furniture_lines, standfirst
from tests.ingest.conftest import page

NEWSLETTER = [
    "Der Morgen-Newsletter",
    "Die wichtigsten Nachrichten aus Vorpommern jeden Morgen um sechs in Ihrem Postfach.",
    "Vielen Dank für Ihre Anmeldung!",
]
DISCLAIMER = "Die Meinung der Gastautoren muss nicht mit der Meinung der Redaktion übereinstimmen."
ARTICLE = [
    "Krankenhausreform: Länder erhalten 2,5 Milliarden Euro mehr",
    "Im vergangenen Jahr hatten bundesweit 38 Krankenhäuser Insolvenz angemeldet",
    "„Kein Krankenhaus auf dem Land muss wegen der Reform schließen“, sagte der SPD-Politiker.",
    "Nach ihren Berechnungen fehlen den Kliniken in diesem Jahr rund sechs Milliarden Euro.",
    "Der Bundesrat soll im Juni über das Gesetz abstimmen.",
]


def test_trafilatura_alone_keeps_the_newsletter_box_and_the_disclaimer() -> None:
    text = extract_html(page("article_furniture_de.html"), drop_furniture=False).text
    for line in [*NEWSLETTER, DISCLAIMER]:
        assert line in text.split("\n")


def test_markup_furniture_is_dropped_and_the_article_kept() -> None:
    doc = extract_html(page("article_furniture_de.html"))
    for line in [*NEWSLETTER, DISCLAIMER]:
        assert line not in doc.text
    for sentence in ARTICLE:
        assert sentence in doc.text
    assert doc.title == "Krankenhausreform: Länder erhalten 2,5 Milliarden Euro mehr"


def test_a_pull_quote_that_repeats_the_body_is_article_text() -> None:
    html = (
        "<html><body><article><p>Der Minister sagte: „Die Kliniken bekommen mehr Geld.“ Das "
        "Gesetz kommt im Juni.</p><aside class='pull-quote'><p>„Die Kliniken bekommen mehr "
        "Geld.“</p></aside><figcaption>Der Minister in Berlin. Foto: dpa</figcaption>"
        "</article></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    text = "„Die Kliniken bekommen mehr Geld.“\nDer Minister in Berlin. Foto: dpa"
    assert furniture_lines(tree, text) == {"Der Minister in Berlin. Foto: dpa"}


def test_classes_on_body_and_article_are_not_furniture() -> None:
    # WordPress writes the author into <body class="... author-jane">; the whole page is not a
    # byline.
    html = (
        "<html><body class='single author-jane'><article class='post author-jane'>"
        "<p>Der Stadtrat hat am Dienstag 42 Kilometer neue Radwege beschlossen.</p>"
        "<div class='byline'>Von Jane Roe</div></article></body></html>"
    )
    tree = lxml.html.document_fromstring(html)
    text = "Der Stadtrat hat am Dienstag 42 Kilometer neue Radwege beschlossen.\nVon Jane Roe"
    assert furniture_lines(tree, text) == {"Von Jane Roe"}


def test_a_template_that_marks_the_whole_article_as_furniture_is_read_whole() -> None:
    # A site whose article body sits in a "share-container" (the class says furniture, the size
    # says article): nothing is dropped rather than the article.
    body = " ".join(f"Satz {i} über die Reform der Krankenhäuser im Land." for i in range(30))
    html = f"<html><body><div class='share-container'><p>{body}</p></div><p>Kurz.</p></body></html>"
    tree = lxml.html.document_fromstring(html)
    assert drop_furniture(tree, body, min_chars=MIN_TEXT_CHARS) == body


STANDFIRST = (
    "Bund und Länder haben sich nach monatelangem Streit auf die Finanzierung der "
    "Krankenhausreform geeinigt. Die Länder erhalten bis 2030 insgesamt 2,5 Milliarden Euro mehr "
    "als zunächst geplant."
)


def test_the_articles_own_teaser_standfirst_is_its_lead() -> None:
    # trafilatura deletes every element classed "...teaser..."; German templates class the
    # article's standfirst so ("article-teaser"), and it carries the headline's claim.
    assert (
        STANDFIRST not in extract_html(page("article_furniture_de.html"), restore_lead=False).text
    )
    lines = extract_html(page("article_furniture_de.html")).text.split("\n")
    assert lines[0] == "Krankenhausreform: Länder erhalten 2,5 Milliarden Euro mehr"
    assert lines[1] == STANDFIRST


def test_other_articles_teasers_are_not_a_standfirst() -> None:
    related = (
        "<html><body><h1>Stadtrat beschließt Radwege</h1><p>Der Stadtrat hat am Dienstag 42 "
        "Kilometer neue Radwege beschlossen, die bis 2028 gebaut werden sollen.</p>"
        "<div class='teaser'><a href='/x'>Neue Fahrradstraßen in Ehrenfeld: Was sich für "
        "Autofahrer ändert und wann die Bauarbeiten beginnen</a></div></body></html>"
    )
    assert standfirst(lxml.html.document_fromstring(related)) is None
    in_a_box = (
        "<html><body><h1>Stadtrat beschließt Radwege</h1><p>"
        + "Der Stadtrat hat am Dienstag 42 Kilometer neue Radwege beschlossen. " * 10
        + "</p><aside><div class='teaser-text'>Gentherapien sind teuer. Zu deren Erstattung "
        "sind die vorhandenen Instrumente nur bedingt geeignet.</div></aside></body></html>"
    )
    assert standfirst(lxml.html.document_fromstring(in_a_box)) is None


def test_the_pipeline_reads_the_restored_standfirst_as_the_lead_and_never_sees_the_box() -> None:
    from claims.nlp import extract_claims

    doc = extract_html(page("article_furniture_de.html"))
    claims = extract_claims(doc.text, lang="de", title=doc.title)
    lead = [c for c in claims if c.segment == "lead"]
    assert lead and lead[0].text.startswith("Bund und Länder haben sich")
    assert lead[0].candidate
    assert not any("Newsletter" in c.text or "Anmeldung" in c.text for c in claims)


def test_an_english_dek_is_a_standfirst_but_a_summary_field_holding_the_body_is_not() -> None:
    dek = (
        "The house where Adolf Hitler was born will become a police station, the interior "
        "ministry said on Tuesday."
    )
    html = (
        f"<html><body><article><h1>Hitler's birthplace to become police station</h1>"
        f"<div class='articleDek dekSummary__x1'>{dek}</div><p>VIENNA — The ministry said "
        "the redesign would be put out to tender this month.</p></article></body></html>"
    )
    assert standfirst(lxml.html.document_fromstring(html)) == dek
    body = "The council approved 42 kilometres of new cycle lanes on Tuesday. " * 20
    field = (
        "<html><body><h1>Council approves cycle lanes</h1><div class='field "
        f"field--type-text-with-summary'><p>{body}</p></div></body></html>"
    )
    assert standfirst(lxml.html.document_fromstring(field)) is None
