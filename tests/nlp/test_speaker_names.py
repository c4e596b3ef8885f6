"""Claimants written as the article introduced them (issue #12, item 3): abbreviations to the full
name given earlier, glued names split, German institution names in the nominative, question words
never a person, "told reporters" never the speaker, unnamed national institutions named. The
excerpts are from the annotated dev articles (shortened)."""

import pytest

from claims.nlp import extract_claims
from claims.nlp.name_forms import (
    expand,
    german_nominative,
    glued_surname,
    group_named,
    long_forms,
    split_glued,
)
from claims.nlp.people import _is_title
from tests.nlp.conftest import find


@pytest.mark.parametrize(
    ("text", "fragment", "claimant"),
    [
        (  # gnad-0024: "(EuGH)" spelt out in the genitive, later "der EuGH"
            "Das sei nicht zu rechtfertigen, schreibt Hauer unter Hinweis auf ein Urteil des "
            "Europäischen Gerichtshofs (EuGH) gegen Spanien vom 28. Februar 2013. "
            "Spanien wollte Bewerber bevorzugen, die den Fahrweg bereits genutzt haben. "
            "Zu Unrecht, beschied der EuGH.",
            "Zu Unrecht",
            "Europäischer Gerichtshof",
        ),
        (  # de-0072: "laut der Deutschen Bank"
            "Die Filialen werden weniger genutzt, teilte ein Sprecher der Deutschen Bank mit. "
            "Laut der Deutschen Bank wächst das Online-Geschäft seit Jahren.",
            "Laut der Deutschen Bank",
            "Deutsche Bank",
        ),
        (  # gnad-0015: the extraction glued first name and surname together
            "Eisenstadt – Einen Monat nach dem Start der Koalition zeigt sich Landeshauptmann "
            "HansNiessl (SPÖ) zufrieden. Es sei die intensivste Amtszeit, sagte Niessl im "
            "Interview mit der APA.",
            "Es sei die intensivste Amtszeit",
            "Hans Niessl",
        ),
    ],
)
def test_german_names_as_introduced(text, fragment, claimant):
    claim = find(extract_claims(text, lang="de"), fragment)
    assert (claim.reported, claim.claimant) == (True, claimant)


@pytest.mark.parametrize(
    ("text", "fragment", "claimant"),
    [
        (  # en-0098: WHO spelt out earlier without parentheses
            "Patients often develop symptoms after one to seven days, says the World Health "
            'Organization. Untreated pneumonic plague is "always fatal", says WHO.',
            "Untreated pneumonic plague",
            "World Health Organization",
        ),
        (  # en-0036: "meanwhile, told reporters": the reporters are told, Clark speaks
            "Emirates President Tim Clark, meanwhile, told reporters at a press conference that "
            "the airline would keep growing.",
            "told reporters",
            "Tim Clark",
        ),
        (  # en-0080: an institution named by its country
            "Two United States service members have been killed in a helicopter crash in "
            "Afghanistan, the US military said in a statement on Wednesday.",
            "Two United States service members",
            "US military",
        ),
        (  # en-0098
            "Inner Mongolia health authority reported its third case of bubonic plague on Sunday.",
            "Inner Mongolia health authority",
            "Inner Mongolia health authority",
        ),
    ],
)
def test_english_names_as_introduced(text, fragment, claimant):
    claim = find(extract_claims(text, lang="en"), fragment)
    assert (claim.reported, claim.claimant) == (True, claimant)


def test_a_question_word_is_no_person():
    # gnad-0022: the small German NER tags "Wieso" as a person; "Er" must not resolve to it
    text = (
        "Was den Preis von Metallen betrifft, rechnet Rainer Bunge mit einer steigenden "
        "Tendenz. Wieso? Er erklärt es am Beispiel Kupfer. In den Industrieländern sei der "
        "Bedarf gesättigt."
    )
    claims = extract_claims(text, lang="de")
    assert all(c.claimant != "Wieso" for c in claims)


def test_name_form_helpers():
    text = "Die Leipnik-Lundenburger Invest (LLI) und das Bundesamt für Migration (BAMF) ..."
    forms = long_forms(text)
    assert forms == {"LLI": "Leipnik-Lundenburger Invest", "BAMF": "Bundesamt für Migration"}
    pge = "Pacific Gas & Electric Co. said Tuesday it may cut power. PG&E officials said"
    assert expand("PG&E", pge, {}) == "Pacific Gas & Electric Co."
    assert expand("US military", pge, {}) == "US military"  # not an abbreviation alone
    assert expand("NYDIG", "NYDIG Research predicts", {}) == "NYDIG"  # no long form: kept
    assert split_glued("HansNiessl") == ("Hans", "Niessl")
    assert split_glued("McDonald") == ("McDonald",)
    assert german_nominative("Statistischen Bundesamts") == "Statistisches Bundesamt"
    assert german_nominative("Jürgen Klopp") == "Jürgen Klopp"


def test_a_photo_credit_is_never_the_antecedent_of_er():
    # the credit line of German news pages ("© Foto: Kay Nietfeld/dpa") names the photographer
    text = (
        "Bundeskanzler Olaf Scholz hat die Pläne verteidigt.\n"
        "© Foto: Kay Nietfeld/dpa\n"
        "Er sagte, die Preise würden sinken."
    )
    claim = find(extract_claims(text, lang="de"), "Er sagte")
    assert (claim.reported, claim.claimant) == (True, "Olaf Scholz")


def test_a_title_abbreviation_does_not_end_the_sentence():
    # en-0104: spaCy splits "Lt." into "Lt" + "."; the speaker is the name after it
    text = (
        "Officers found methamphetamine in her car, said Lt. Matt Harris, Columbus Police "
        "Department spokesman. Officers arrested her."
    )
    claim = find(extract_claims(text, lang="en"), "Officers found")
    assert (claim.reported, claim.claimant) == (True, "Matt Harris")


@pytest.mark.parametrize(
    ("lang", "text", "fragment", "claimant"),
    [
        (  # gnad-0024
            "de",
            "Schwere Kritik an der Reform übt Verwaltungsrechtler Andreas Hauer von der Uni Linz. "
            "Das stelle eine unzulässige Diskriminierung dar, attestiert Hauer.",
            "Das stelle eine",
            "Andreas Hauer",
        ),
        (  # en-0026
            "en",
            "Michael Webb, 51, was arrested on Monday. In a three-hour recorded interview with "
            "the FBI, Webb confessed to the kidnapping.",
            "Webb confessed",
            "Michael Webb",
        ),
    ],
)
def test_more_reporting_verbs(lang, text, fragment, claimant):
    claim = find(extract_claims(text, lang=lang), fragment)
    assert (claim.reported, claim.claimant) == (True, claimant)


def test_indirect_speech_before_any_quote_reports_the_person_just_named():
    # gnad-0024: Konjunktiv I right after the person is introduced (no reporting verb yet)
    text = (
        "Wien – Schwere Kritik an der geplanten Reform des Eisenbahngesetzes übt "
        "Verwaltungsrechtler Andreas Hauer von der Uni Linz. Die in Begutachtung geschickte "
        "Novelle verstoße mehrfach gegen EU-Richtlinien und die österreichische Verfassung."
    )
    claim = find(extract_claims(text, lang="de"), "Novelle verstoße")
    assert (claim.reported, claim.claimant) == (True, "Andreas Hauer")


def test_the_doctors_are_the_group_named_with_that_noun():
    # en-0117
    text = (
        "The doctors, members of a recently formed group Doctors for Camp Closure, have offered "
        "to stage a clinic. The doctors said that the threat of death was high."
    )
    claim = find(extract_claims(text, lang="en"), "The doctors said")
    assert (claim.reported, claim.claimant) == (True, "Doctors for Camp Closure")
    assert group_named("doctors", "Doctors Warn Of Flu Risk\nThe doctors said so.") is None


def test_wie_x_mitteilte():
    # gnad-0030: the subordinate-clause form of a separable reporting verb
    text = (
        "Wie die in London ansässige Syrische Beobachtungsstelle für Menschenrechte mitteilte, "
        "bombardierten die russischen Kampfjets Ziele in der Provinz Idlib."
    )
    claim = find(extract_claims(text, lang="de"), "bombardierten")
    assert claim.reported and claim.claimant == "Syrische Beobachtungsstelle für Menschenrechte"


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        # en-0089: "assailed" tagged VBN; en-0075: "has since said"
        ("Over the weekend, Trump assailed Williams as part of the Never Trumpers.", "Trump"),
        ("Mr. Trump has since said that a deal signing would take place in farm country.", "Trump"),
    ],
)
def test_past_tense_read_as_participle_and_has_since_said(text, claimant):
    claim = extract_claims(text, lang="en")[0]
    assert (claim.reported, claim.claimant) == (True, claimant)


@pytest.mark.parametrize(
    ("text", "fragment", "claimant"),
    [
        (  # gnad-0020
            "Ein Beispiel: In Syrien verfügen laut TIMSS nach acht Jahren Schule nur 47 Prozent "
            "der Schüler über niedrige Grundkompetenzen.",
            "In Syrien verfügen",
            "TIMSS",
        ),
    ],
)
def test_acronyms_and_company_descriptors(text, fragment, claimant):
    claim = find(extract_claims(text, lang="de"), fragment)
    assert (claim.reported, claim.claimant) == (True, claimant)
    # gnad-0032: "Der Glücksspielkonzern Novomatic" registers "Novomatic"; "Konzern" alone is
    # no descriptor
    assert _is_title("Glücksspielkonzern") and not _is_title("Konzern")


@pytest.mark.parametrize(
    ("text", "claimant"),
    [  # en-0085
        (
            "Nearly 300 school districts closed because of the rally, according to teachers "
            "unions.",
            "teachers unions",
        ),
        (
            "Education advocacy groups estimated this year that a 9% funding increase was needed.",
            "Education advocacy groups",
        ),
    ],
)
def test_collective_sources_are_named_as_written(text, claimant):
    claim = extract_claims(text, lang="en")[0]
    assert (claim.reported, claim.claimant) == (True, claimant)


def test_a_town_institution_is_named_as_listed():
    # de-0056
    text = (
        "Ein Autohaus in Karlsruhe-Durlach brannte am Montagabend. Ein Sprecher der Polizei in "
        "Karlsruhe war vor Ort. Verletzt wurde laut der Karlsruher Polizei niemand."
    )
    claim = find(extract_claims(text, lang="de"), "Verletzt wurde")
    assert (claim.reported, claim.claimant) == (True, "Polizei Karlsruhe")


def test_a_surname_glued_to_the_next_word():
    # gnad-0015: the extraction lost the space in "Niessl nicht"
    text = (
        "Landeshauptmann Hans Niessl (SPÖ) zeigt sich zufrieden. Dass in Eisenstadt Zelte "
        "errichtet wurden, interpretiert Niesslnicht als Scheitern der Politik."
    )
    claim = find(extract_claims(text, lang="de"), "interpretiert")
    assert (claim.reported, claim.claimant) == (True, "Hans Niessl")
    assert glued_surname("Kurzarbeit", {"Kurz"}) == "Kurzarbeit"
