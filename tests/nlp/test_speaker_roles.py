"""Role nouns as speakers (real sentences from the annotated dev articles, issue #12): of the
people introduced with the role, the one mentioned last; a role in the lead introduces the person
the article names next with it; "a spokesman" is someone new, never the person just named."""

from claims.nlp import extract_claims
from tests.nlp.conftest import find

HOLCOMB = (
    "Gov. Eric Holcomb and leaders of the GOP-dominated Legislature have avoided direct criticism "
    "of teachers or school districts for the closings. They seem intent on not antagonizing "
    "educators as Kentucky GOP Gov. Matt Bevin, who lost his reelection bid this month, did in "
    "lashing out at teachers who used sick days to rally. His office said he was keeping "
    "long-standing plans for traveling to Florida for a conference of the Republican Governors "
    "Association, which gave nearly $5.9 million toward Holcomb’s 2016 election campaign. The "
    "governor said he was waiting for a teacher pay commission he appointed in February to make "
    "recommendations on increasing salaries by the end of 2020."
)
PESCHORN = (
    "VIENNA — The house where Adolf Hitler was born will be turned into a police station, "
    "Austria's interior minister said on Tuesday, after years of debate over how best to prevent "
    "it from becoming a neo-Nazi shrine.\n\n"
    '"The future use of the house by the police should send an unmistakable signal that this '
    'building will never again evoke the memory of National Socialism," Interior Minister '
    "Wolfgang Peschorn, who serves in a provisional government of civil servants, said in the "
    "statement."
)
ALVAREZ = (
    "A California transit chief says a man has been stabbed to death on a San Francisco Bay Area "
    "commuter train during a fight.\n\n"
    "Interim BART Police Chief Ed Alvarez told reporters at a news conference that officials "
    "began receiving 911 calls Tuesday afternoon."
)
BUTTERFILL = (
    "Immer mehr Investoren würden auf steigende Preise wetten. Frankfurt – Fürchtet euch nicht, "
    "so kann man James Butterfill interpretieren, es ist alles nur halb so schlimm: Der Einbruch "
    "der Aktienmärkte im Jänner ist kein Grund zur Sorge, sagt der Ökonom."
)


def _claimant(text: str, lang: str, fragment: str) -> str | None:
    claim = find(extract_claims(text, lang=lang), fragment)
    assert claim.reported, fragment
    return claim.claimant


def test_the_governor_is_the_governor_mentioned_last():
    assert _claimant(HOLCOMB, "en", "waiting for a teacher pay commission") == "Eric Holcomb"


def test_a_role_in_the_lead_is_the_person_named_next_with_it():
    assert _claimant(PESCHORN, "en", "will be turned into a police station") == "Wolfgang Peschorn"
    assert _claimant(ALVAREZ, "en", "A California transit chief says") == "Ed Alvarez"


def test_a_role_nobody_was_introduced_with_is_the_person_just_named():
    assert _claimant(BUTTERFILL, "de", "kein Grund zur Sorge") == "James Butterfill"


def test_an_indefinite_role_is_someone_new():
    text = "President Donald Trump met Kim Jong Un in Hanoi. A spokesman said the talks were good."
    assert _claimant(text, "en", "A spokesman said") == "unattributed"
    text = (
        "Donald Trump met Kim Jong Un in Hanoi. “We are cooperating in the matter,” said a WeWork "
        "spokesperson when contacted by Reuters."
    )
    assert _claimant(text, "en", "We are cooperating") == "WeWork"
