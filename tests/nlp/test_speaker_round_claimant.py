"""Claimant round (issue #12): the classes fixed after the error analysis of all spent splits,
from real sentences of the annotated articles (shortened)."""

from claims.nlp import extract_claims
from tests.nlp.conftest import find


def _said(text: str, lang: str, fragment: str) -> tuple[bool, str | None]:
    claim = find(extract_claims(text, lang=lang), fragment)
    return claim.reported, claim.claimant


# --- the fullest form of a name, as the article introduced it -------------------------------------


def test_a_department_cut_short_is_completed_to_its_full_name():
    text = (
        "It was ultimately the efforts of a family friend who spotted Webb's Ford sedan and "
        "called 911. Fort Worth Police Department responded and confirmed that there appeared "
        "to be blood on the front passenger seat."
    )
    assert _said(text, "en", "Fort Worth Police Department responded") == (
        True,
        "Fort Worth Police Department",
    )


def test_a_suffix_belongs_to_the_name():
    text = (
        "A New York man pleaded guilty to charges he threatened to kill a congresswoman. "
        "U.S. Attorney James Kennedy Jr. said in the release this case demonstrates that free "
        "speech does not protect threats."
    )
    assert _said(text, "en", "James Kennedy Jr. said")[1] == "James Kennedy Jr."


def test_a_longer_form_introduced_after_the_short_one_is_not_used():
    # "Apple" first, "Apple Watch" later: a product named after its maker, not its full name
    from claims.nlp.fullest_form import fullest_form
    from claims.nlp.pipelines import claim_pipeline

    doc = claim_pipeline("de")(
        "Apple sagte am Montag, die Verkäufe seien gestiegen. Die Apple Watch verkauft sich "
        "gut. Apple erklärte, man erwarte ein starkes Quartal."
    )
    assert fullest_form("Apple", list(doc.ents), "de") == "Apple"
    later = claim_pipeline("en")(
        "Amnesty International said at least 106 protesters were killed. The organization "
        "believes that the death toll may be much higher. Amnesty said so again."
    )
    assert fullest_form("Amnesty", list(later.ents), "en") == "Amnesty International"


# --- German accounts without a speech verb -----------------------------------------------------


def test_a_study_named_in_a_compound_is_its_source():
    text = (
        "Die Digitalisierung verändert den Arbeitsmarkt. Eine IDG-Studie prognostiziert, dass "
        "besonders Fachkräfte in der IT-Sicherheit und Data Scientists gute Jobchancen haben "
        "werden."
    )
    assert _said(text, "de", "Eine IDG-Studie") == (True, "IDG")


def test_a_survey_speaks_for_the_organisation_named_with_it():
    text = (
        "Streamingdienste verdrängen die Piraterie. Eine Befragung des Musikverbandes IFPI in "
        "Norwegen wiederum legt ebenso eine Verdrängung von Musikpiraterie durch Spotify nahe."
    )
    assert _said(text, "de", "Eine Befragung des Musikverbandes") == (True, "IFPI")


def test_a_study_naming_nobody_is_unattributed():
    text = (
        "Die Meldung klang dramatisch. Eine nähere Untersuchung des Systems ergab, dass "
        "Online-Zugriffe aus Russland erfolgt waren."
    )
    assert _said(text, "de", "Eine nähere Untersuchung") == (True, "unattributed")


def test_hearsay_without_a_source_is_unattributed():
    sentence = (
        "Angeblich sind nämlich etliche der 15 Mitarbeiter im vorigen Frühling in den Genuss "
        "von spürbaren Gehaltserhöhungen gekommen."
    )
    text = "Die Firma steht in der Kritik. " + sentence
    assert _said(text, "de", "Angeblich sind") == (True, "unattributed")


def test_an_alleged_act_stays_the_articles_own_account():
    # the annotators' convention: a charge reported with "soll ... haben" has no claimant
    text = (
        "Der Prozess begann am Montag. Ein 31-jähriger Polizist soll einer 42-Jährigen den "
        "Knöchel gebrochen haben, indem er sie wegstieß."
    )
    assert _said(text, "de", "Ein 31-jähriger Polizist")[1] is None


def test_a_planned_should_is_no_hearsay():
    text = "Die Firma steht in der Kritik. Die Ausbildungsvergütungen sollen um 100 Euro steigen."
    assert _said(text, "de", "Die Ausbildungsvergütungen")[1] != "unattributed"


def test_swiss_gemaess_is_laut():
    text = (
        "Im Gazastreifen kamen gemäss dem Gesundheitsministerium 10 022 Personen ums Leben, die "
        "Zahlen lassen sich nicht unabhängig überprüfen."
    )
    reported, _ = _said(text, "de", "Im Gazastreifen")
    assert reported


def test_a_perfect_tense_announcement_is_reported_speech():
    text = (
        "Die Serie läuft seit 2017. Showrunner Roberto Aguirre-Sacasa (46) hat auf Twitter "
        'verkündet, dass Folge 4x01 den Titel "In Memoriam" tragen wird.'
    )
    assert _said(text, "de", "Showrunner") == (True, "Roberto Aguirre-Sacasa")


# --- a quotation opened by a colon -----------------------------------------------------------


COLON = (
    "Rektor Wilfried Eichlseder sagte, das Projekt sei einzigartig. "
    "Bundesminister Heinz Faßmann ging auf die Wichtigkeit von Spitzenforschung für den "
    "Standort Österreich ein: „Mit dem Zentrum am Berg verfügt die Montanuniversität Leoben "
    "über ein weiteres Alleinstellungsmerkmal in der europäischen Forschungslandschaft.“"
)


def test_a_colon_quote_belongs_to_the_person_before_the_colon():
    assert _said(COLON, "de", "Bundesminister Heinz Faßmann") == (True, "Heinz Faßmann")


def test_an_addressee_before_the_colon_is_not_the_speaker():
    text = (
        "Rita Famos sprach vor der Synode. An Bundesrat Ignazio Cassis wandte sie sich mit "
        "einer Bitte: «Seien Sie kreativ für neue Lösungen in der Zusammenarbeit.»"
    )
    assert _said(text, "de", "An Bundesrat")[1] != "Ignazio Cassis"


# --- quotes that lost their marks: the first person after a person's speech -------------------


def test_first_person_sentences_continue_the_person_just_quoted():
    text = (
        "Der mazedonische Außenminister Nikola Poposki sagte, die Lage an der Grenze sei "
        "angespannt. Deswegen haben wir einen physischen Grenzschutz gebaut. "
        "Zurzeit ist der Zaun 20 Kilometer lang."
    )
    assert _said(text, "de", "Deswegen haben wir") == (True, "Nikola Poposki")


def test_us_the_country_is_no_first_person():
    text = (
        'Secretary of State Mike Pompeo said, "The US is reversing course." The decision puts '
        "the US at odds with virtually the whole of the rest of the international community."
    )
    assert _said(text, "en", "The decision puts")[1] is None


def test_a_tip_reported_with_wonach_is_an_anonymous_source():
    text = (
        "Wir dokumentieren Fälle von Tierquälerei. Am 28. März 2021 erreichte uns eine "
        "Whistleblower-Meldung, wonach in Brandenburg an der Havel eine Kuh seit über einem Tag "
        "regungslos auf der Weide lag."
    )
    assert _said(text, "de", "Whistleblower-Meldung") == (True, "unattributed")
