"""Indirect speech continues the last speaker only until another person is named; a state named
as the subject of a speech verb is a claimant (issue #12).

Excerpts from the annotated dev articles (gnad-0007, gnad-0015, gnad-0030, derStandard; en-0057).
"""

from claims.nlp import extract_claims
from tests.nlp.conftest import find

REITER = (
    "Wobei sowohl Richterin Nicole Baczak als auch Verteidiger Prückler anmerken, dass die "
    "Erinnerung innerhalb der vergangenen beiden Jahre besser geworden sein muss. "
    "Nach dem Vorfall 2014 war sie sich nämlich noch nicht so sicher. "
    "Entscheidend wird also die Aussage des medizinischen Sachverständigen Christian Reiter, "
    "der erklären soll, wie der doppelte Knöchelbruch entstanden ist. "
    "Für ihn ist klar, dass das Opfer sich an der Gehsteigkante verhakt und sich dabei "
    "verletzt hat. "
    "Wenn es einen Stoß gegeben habe, müsse der jedenfalls von hinten gekommen sein. "
    "Die Darstellung der Angeklagten sei daher eindeutig nicht mit dem Verletzungsbild in "
    "Einklang zu bringen."
)


def test_indirect_speech_goes_to_the_expert_named_after_the_judge():
    claims = extract_claims(REITER, lang="de")
    for fragment in ("Wenn es einen Stoß gegeben habe", "Die Darstellung der Angeklagten sei"):
        claim = find(claims, fragment)
        assert (claim.reported, claim.claimant) == (True, "Christian Reiter")


def test_indirect_speech_keeps_its_speaker_when_nobody_new_is_named():
    text = (
        "Der burgenländische Landeshauptmann Hans Niessl (SPÖ) verteidigt die Quote. "
        "Die Leute akzeptieren pro 1.000 Einwohner zehn Asylwerber, sagte Niessl. "
        "Dies sei auch im Koalitionsabkommen festgelegt."
    )
    claim = find(extract_claims(text, lang="de"), "Dies sei auch im Koalitionsabkommen")
    assert claim.claimant == "Hans Niessl"


def test_an_acronym_named_since_does_not_take_over():
    # gnad-0015: the small NER reads "ÖVP Burgenland" as a person
    text = (
        "Die Leute akzeptieren pro 1.000 Einwohner zehn Asylwerber, sagte Hans Niessl. "
        "Mit der ÖVP Burgenland gebe es darüber keinen Streit. "
        "Bei der Betreuung erfülle man die Vorgaben."
    )
    claim = find(extract_claims(text, lang="de"), "Bei der Betreuung erfülle man")
    assert claim.claimant == "Hans Niessl"


def test_a_state_as_the_subject_of_a_speech_verb_is_the_claimant():
    # en-0057 (AP) and gnad-0030 (derStandard): the country speaks, not "unattributed"
    text = (
        "Although Hitler was born in Braunau in 1889, Austria argued for decades that it was "
        "the first victim of Nazi Germany."
    )
    claim = find(extract_claims(text, lang="en"), "Austria argued")
    assert (claim.reported, claim.claimant) == (True, "Austria")
    text = "Russland gibt an, Stellungen von Terroristen zu bombardieren."
    claim = find(extract_claims(text, lang="de"), "Russland gibt an")
    assert (claim.reported, claim.claimant) == (True, "Russland")


def test_a_place_that_is_no_subject_gives_no_claimant():
    text = "Nach Deutschland kamen im Jahr 2015 rund eine Million Flüchtlinge."
    claim = find(extract_claims(text, lang="de"), "Nach Deutschland kamen")
    assert claim.claimant is None


def test_an_adverb_set_off_by_commas_keeps_the_subject_before_it():
    # en-0080 (Al Jazeera): not the inverted '..., said X'
    text = (
        "The Afghan Taliban, however, claimed responsibility for shooting down the helicopter, "
        "which it said crashed in Logar province."
    )
    claim = find(extract_claims(text, lang="en"), "claimed responsibility")
    assert (claim.reported, claim.claimant) == (True, "Afghan Taliban")
    text = "The economy is growing, however, said Janet Yellen."
    assert find(extract_claims(text, lang="en"), "economy is growing").claimant == "Janet Yellen"


def test_joint_speakers_are_both_named():
    # en-0090 (Al Jazeera), en-0076 (BBC)
    text = (
        "The United Nations and European Union stressed the decision would not change the "
        "reality that the settlements were illegal."
    )
    claim = find(extract_claims(text, lang="en"), "stressed the decision")
    assert claim.claimant == "United Nations and European Union"
    text = (
        "Elizabeth Warren and Alexandria Ocasio-Cortez criticised Scooter Braun's company "
        "and the effect big businesses can have."
    )
    claim = find(extract_claims(text, lang="en"), "criticised Scooter Braun")
    assert claim.claimant == "Elizabeth Warren and Alexandria Ocasio-Cortez"


def test_a_place_joined_to_a_source_is_no_second_speaker():
    text = (
        "Sean Robertson, a spokesperson for Inherent Resolve, the U.S. military operation "
        "against Islamic State in Iraq and Syria, told VOA the base remains important."
    )
    claim = find(extract_claims(text, lang="en"), "the base remains important")
    assert claim.claimant != "Inherent Resolve and Syria"


def test_an_accusation_reports_a_claim_with_its_source():
    # gnad-0030 (derStandard): "vorhalten" with a clause after the particle
    text = "Die USA halten Russland vor, moderate Kräfte ins Visier zu nehmen."
    claim = find(extract_claims(text, lang="de"), "halten Russland vor")
    assert (claim.reported, claim.claimant) == (True, "USA")
    claim = find(extract_claims("Der Vorrat hält noch bis Mai vor.", lang="de"), "Vorrat hält")
    assert not claim.reported
