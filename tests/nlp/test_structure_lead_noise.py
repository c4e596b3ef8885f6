"""The lead of a text without paragraph breaks, and paragraphs that are not language
(claims/nlp/structure.py, claims/nlp/prose.py)."""

import random
import string

import pytest

from tests.nlp.test_structure import units

# A 10kGNAD / derStandard article as the dataset stores it: one line, the teaser first, then the
# dateline lead ("Wien – ..."), then the body (dev article gnad-0000, shortened).
GNAD = (
    'Die Gewerkschaft GPA-djp lanciert den "All-in-Rechner" und findet, dass die Vertragsform auf '
    "die Führungsebene beschränkt gehört. Wien – Die Gewerkschaft GPA-djp sieht Handlungsbedarf "
    "bei sogenannten All-in-Verträgen. Für mehr Transparenz hat die Gewerkschaft nun unter "
    "www.allinrechner.at ein Online-Werkzeug lanciert, das Arbeitnehmern mit solchen Verträgen "
    "helfen soll, sich einen Überblick zu verschaffen. Es geht darum, ob die Differenz zum "
    "Grundgehalt nicht womöglich eine zu geringe ist."
)


def test_one_paragraph_text_has_a_two_sentence_lead():
    found = units(GNAD, "de", GNAD[:120] + "…")
    segments = [u[1] for u in found]
    assert segments == ["lead", "lead", "body", "body"], found
    assert all(u[2] for u in found)  # all still candidates


def test_lead_paragraph_of_two_sentences_is_all_lead_and_next_paragraph_is_body():
    text = (
        "Die Inflation ist im März auf 7,3 Prozent gestiegen. Das teilte das Statistische "
        "Bundesamt am Donnerstag mit.\n\nÖkonomen hatten mit einem geringeren Anstieg gerechnet."
    )
    assert [u[1] for u in units(text, "de")] == ["lead", "lead", "body"]


def _scrambled(seed: int, words: int) -> str:
    """Letter-by-letter scrambled text as a paywall ships it: the word lengths, capitals and
    punctuation of prose, random letters."""
    rng = random.Random(seed)
    out = []
    for k in range(words):
        w = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 11)))
        out.append(w.capitalize() if k % 4 == 0 else w)
    return " ".join(out[:12]) + ", " + " ".join(out[12:]) + "."


def test_scrambled_paywall_text_is_noise_not_candidate():
    title = "Streetart in Bonn: Was hinter dem neuen Wandgraffiti in Beuel steckt"
    text = title + "\n\n" + _scrambled(1, 30) + " " + _scrambled(2, 24) + "\n\n" + _scrambled(3, 26)
    found = units(text, "de", title)
    body = [u for u in found if u[1] != "headline"]
    assert body and all(u[1] == "noise" and not u[2] for u in body), found


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        # English interview answers on a German site (dev article de-0009): no German function
        # words, but vowels and pronounceable words
        (
            "de",
            "Most people, if they had their choice, would not be on the list because the people "
            "who read the list most assiduously are the people who want something from you.",
        ),
        # a statistics table row: no function words, few vowels, but no consonant salad
        ("en", "| LB | Joe Schobert | 74 | 100% | 7 tackles, 3 assists (10 combined). 1 sack."),
        # German compounds with long consonant runs
        (
            "de",
            "Deutschlands Rechtsstaatsprinzip verlangt Angstschweiß nicht: "
            "Bundesverfassungsgericht prüft Kündigungsschutzklage des Schornsteinfegers "
            "aus Sachsen-Anhalt.",
        ),
    ],
)
def test_real_text_is_not_noise(lang, line):
    found = units(line, lang)
    assert all(u[1] != "noise" and u[2] for u in found), found
