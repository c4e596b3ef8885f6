"""German Konjunktiv I and its indicative ("habe" -> "hat", "ergebe" -> "ergibt")."""

from __future__ import annotations

from spacy.tokens import Token

from claims.nlp.lexicon import KONJ2

KONJ1_TO_IND = {
    "sei": "ist", "seien": "sind", "habe": "hat", "werde": "wird", "könne": "kann",
    "müsse": "muss", "solle": "soll", "wolle": "will", "dürfe": "darf", "möge": "mag",
    "wisse": "weiß", "gebe": "gibt", "bleibe": "bleibt", "gehe": "geht", "komme": "kommt",
    "liege": "liegt", "stehe": "steht", "sehe": "sieht", "lasse": "lässt", "nehme": "nimmt",
    "halte": "hält", "trage": "trägt", "gelte": "gilt", "handle": "handelt", "heiße": "heißt",
    "laufe": "läuft", "treffe": "trifft", "spreche": "spricht", "helfe": "hilft",
    "wachse": "wächst", "falle": "fällt", "fahre": "fährt", "gelinge": "gelingt",
    "lese": "liest", "vergesse": "vergisst", "esse": "isst", "trete": "tritt",
    "befinde": "befindet", "finde": "findet", "arbeite": "arbeitet", "bedeute": "bedeutet",
    "erwarte": "erwartet", "biete": "bietet", "leiste": "leistet", "warte": "wartet",
    "werfe": "wirft", "breche": "bricht", "schlage": "schlägt", "rate": "rät",
    "schlafe": "schläft", "fange": "fängt", "sterbe": "stirbt", "empfehle": "empfiehlt",
    "stehle": "stiehlt", "messe": "misst", "wende": "wendet", "sende": "sendet",
}  # fmt: skip
# Indicative past forms in -e that are not weak "-te" forms ("wurde" became "wurdet").
_PRETERITE_E = {"wurde", "wurden"}
# Prefixed forms take their stem's indicative: "ergebe" -> "ergibt", "entspreche" -> "entspricht"
_STEMS = sorted((k for k in KONJ1_TO_IND if len(k) >= 4), key=len, reverse=True)


def indicative(tok: Token, *, finite: bool = False) -> str | None:
    """The indicative of a German Konjunktiv I form ("habe" -> "hat"), or None. ``finite``:
    the token is known to be the clause's finite verb, whatever the tagger's morphology says."""
    low = tok.lower_
    if low in KONJ2 or low in ("ich",) or low in _PRETERITE_E:
        return None
    stem = next((k for k in _STEMS if low.endswith(k) and len(low) > len(k) + 1), None)
    if low in KONJ1_TO_IND:
        out = KONJ1_TO_IND[low]
    elif stem and tok.pos_ in ("VERB", "AUX"):
        out = low[: -len(stem)] + KONJ1_TO_IND[stem]
    elif (
        # a finite third-person form in -e is Konjunktiv I whatever the tagger's mood says
        # ("investiere"): the indicative never ends in -e there
        tok.pos_ in ("VERB", "AUX")
        and tok.text.islower()
        and len(low) > 3
        and low.endswith("e")
        and not low.endswith(("te", "ie"))
        and "Inf" not in tok.morph.get("VerbForm")
        and "Part" not in tok.morph.get("VerbForm")
        and (finite or "Sub" in tok.morph.get("Mood") or "3" in tok.morph.get("Person"))
    ):
        stem = low[:-1]
        out = stem + ("et" if stem.endswith(("d", "t", "chn", "ffn", "tm")) else "t")
    else:
        return None
    return out.capitalize() if tok.text[:1].isupper() else out
