"""German sources speaking through a document or about themselves (real sentences from the
annotated dev articles, issue #12): "heißt es in Zschäpes Erklärung", "heißt es in der
Aussendung", "nach eigenen Angaben"; and a relative "der zufolge" (the noun phrase before it)."""

from claims.nlp import extract_claims
from tests.nlp.conftest import find

ZSCHAEPE = (
    "München – Die mutmaßliche deutsche NSU-Rechtsterroristin Beate Zschäpe ist nach eigenen "
    "Angaben während ihres Untergrundlebens von ihrem Komplizen Uwe Böhnhardt geschlagen worden. "
    "Die Angeklagte ließ ihren Anwalt eine Erklärung verlesen. "
    "Uwe Böhnhardt war das egal, und er beendete den lautstarken Streit mit Schlägen, heißt es in "
    "Zschäpes Erklärung."
)
NOVOMATIC = (
    "Der Glücksspielkonzern Novomatic hat weitere Anteile an den Casinos Austria gekauft. "
    "Sollten weitere Anteile zu einem angemessenen Preis angeboten werden, ist Novomatic an einem "
    "Erwerb interessiert, heißt es in der Aussendung."
)


def _said(text: str, fragment: str):
    claim = find(extract_claims(text, lang="de"), fragment)
    return claim.reported, claim.claimant


def test_the_author_of_the_document_is_the_speaker():
    assert _said(ZSCHAEPE, "Uwe Böhnhardt war das egal") == (True, "Beate Zschäpe")


def test_a_document_without_its_author_speaks_for_the_organisation_the_sentence_names():
    assert _said(NOVOMATIC, "ist Novomatic an einem Erwerb interessiert") == (True, "Novomatic")


def test_nach_eigenen_angaben_is_the_person_the_sentence_names():
    assert _said(ZSCHAEPE, "nach eigenen Angaben") == (True, "Beate Zschäpe")


def test_das_heisst_and_a_name_are_no_document_cue():
    text = "Der Konzern heißt Novomatic. Das heißt, die Anteile sind verkauft."
    claims = extract_claims(text, lang="de")
    assert find(claims, "Der Konzern heißt Novomatic").claimant is None
    assert find(claims, "die Anteile sind verkauft").claimant is None


def test_a_relative_der_zufolge_is_the_noun_phrase_before_it():
    text = (
        "Die SPD-Länder fordern eine Arbeitspflicht. Eingeschränkt wird dies durch eine "
        "Entscheidung des Bundesverfassungsgerichts, der zufolge ein Teil der Leistungen in "
        "Bargeld ausgezahlt werden muss."
    )
    assert _said(text, "der zufolge ein Teil") == (True, "Bundesverfassungsgericht")
