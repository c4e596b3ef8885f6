"""Furniture found on news pages outside the annotation manifest (issue #12, qrank round): each
line comes from a real page of ../shared/news-pages that no split names; the rules are shapes
(disclaimers, corrections, author bios, promo prompts, paragraphs of furniture), not site strings.
"""

import pytest

from tests.nlp.test_structure import unit, units

DE_BODY = "Die Regierung hat am Montag ein neues Gesetz beschlossen, das die Mieten begrenzt."
EN_BODY = "The government passed a new law on Monday that caps rents in the capital."


def around(line: str, lang: str):
    body = DE_BODY if lang == "de" else EN_BODY
    return units(f"{body}\n{line}\n{body.replace('M', 'D')}", lang)


@pytest.mark.parametrize(
    ("lang", "line", "segment"),
    [
        ("en", "Originally published on Live Science.", "notice"),
        ("en", "This article was reprinted on Wired.com.", "notice"),
        ("en", "This sponsored deal is brought to you by Dashlane.", "notice"),
        (
            "en",
            "Disclosure: ZDNet may earn a commission from some of the products featured on "
            "this page.",
            "notice",
        ),
        (
            "en",
            "The views and opinions expressed in the article do not necessarily reflect those "
            "of Sputnik.",
            "notice",
        ),
        ("de", "Alle Angaben ohne Gewähr.", "notice"),
        (
            "en",
            "Eric Song is IGN's deal curator and spends 25% of his pay on stuff he posts.",
            "byline",
        ),
        ("en", "You may also like...", "teaser"),
        ("en", "Tell us what YOU think...", "cta"),
        ("en", "Be sure to visit Arrowhead on Facebook, Twitter, and Instagram.", "cta"),
        (
            "en",
            "Catch up on the 2020 election campaign with AP experts on our weekly politics "
            "podcast, “Ground Game.”",
            "cta",
        ),
        ("en", "You can view our June 2018 open thread here.", "cta"),
        ("de", "HIER kannst du dir ein Tutorial auf Pinterest ansehen!", "cta"),
        ("de", "Möchtest du mehr über unser Klimaschutzpaket wissen?", "cta"),
        ("de", "Weitere Infos gibt's unter kastnermotion.com.", "teaser"),
        ("en", "Cover image: artist’s impression of the lighting installation", "credit"),
        ("de", "Kursdaten provided by Interactive Data - eSignal Pro", "credit"),
    ],
)
def test_furniture_outside_the_manifest_is_not_a_candidate(lang, line, segment):
    found = around(line, lang)
    text, seg, candidate, claim_type = unit(found, line[:12])
    assert (seg, candidate, claim_type) == (segment, False, "not_claim")
    assert [u[2] for u in found if u[0] != text] == [True, True]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        (
            "en",
            "This article was originally published by Futurism. Read the original article.",
        ),
        (
            "en",
            "Have a tip? Amy Kuperinsky may be reached at akuperinsky@example.com. Follow her on "
            "Twitter @AmyKup or on Facebook.",
        ),
        (
            "en",
            "Get Motor Cycle Monthly delivered through your letterbox every month. 12 issues for "
            "£11.99. Click here for more information.",
        ),
        (
            "en",
            "Correction added Nov. 18, 2019: The caption below the photograph of Herbert "
            "originally made an unconfirmed statement.",
        ),
    ],
)
def test_a_paragraph_of_furniture_is_furniture_throughout(lang, line):
    found = around(line, lang)
    inner = [u for u in found if u[0] in line]
    assert inner
    assert not any(u[2] for u in inner), inner


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Amazon said revenue rose 20 percent on Amazon.com."),
        ("en", "Facebook and Twitter removed the accounts on Tuesday."),
        ("en", "John Smith is the mayor of Springfield."),
        ("en", "Scientists hope to learn more about the virus here in Geneva."),
        ("de", "Die Zeitung hat ihre Leserinnen und Leser nicht informiert."),
        ("en", "The correction came after the company's shares fell 12 percent."),
    ],
)
def test_news_sentences_that_resemble_the_new_furniture_stay_candidates(lang, line):
    found = units(f"Headline of the page\n{line}", lang, "Headline of the page")
    assert unit(found, line[:20])[2] is True


def test_a_news_paragraph_closed_by_a_credit_or_initials_stays_a_candidate():
    text = (
        "Titel\nEine solche Notlage liege hier bei beiden Klägern aber nicht vor, sagte die "
        "Richterin am Montag. (mwo)\nDer Minister sagte: »Wir zahlen.« © Foto: dpa"
    )
    found = units(text, "de", "Titel")
    assert unit(found, "Eine solche Notlage")[2] is True
    assert unit(found, "Der Minister")[2] is True


def test_section_label_and_short_verbless_list_items_are_context():
    found = units(
        "Review\nThe MacBook Pro review: a keyboard\nIt costs $2,399.",
        "en",
        "The MacBook Pro review: a keyboard",
    )
    assert unit(found, "Review")[1:3] == ("navigation", False)
    text = (
        "Unser Wanderset ist einfach.\n- Wasser\n- Babytrage\n- Kamera\n"
        "- Die Pubertät verändert deine Art zu denken.\nDanach ging es los."
    )
    found = units(text, "de")
    assert [u[2] for u in found if u[1] == "list_item"] == [False, False, False, True]
