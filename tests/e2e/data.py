"""Data for the browser tests, built in the live server's database."""

from datetime import timedelta

from django.utils import timezone

from claims.models import Claim, Verdict
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceSourceFactory,
    KnownSourceDomainFactory,
    OutletFactory,
    RatingLabelFactory,
    RatingScaleFactory,
    UserFactory,
    VerdictFactory,
    ensure_roles,
)

ARTICLE_TEXT = (
    "Das Gipfeltreffen in Hanoi hat keinen Durchbruch gebracht. "
    "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr keine Atomwaffen und "
    "Raketen mehr getestet habe, sagte er. "
    "Kim habe ihm außerdem versprochen, weiterhin keine Atomwaffentests durchzuführen."
)
MAIN = (
    "Trump wisse es zu schätzen, dass Nordkorea seit mehr als einem Jahr keine Atomwaffen "
    "und Raketen mehr getestet habe, sagte er."
)


def scale():
    s = RatingScaleFactory(name="Correctiv", best_rating=5, worst_rating=1, is_default=True)
    for order, (name, value, colour) in enumerate(
        [
            ("Richtig", 5, "#1a7f37"),
            ("Teilweise falsch", 3, "#9a6700"),
            ("Falsch", 1, "#b42318"),
            ("Fehlender Kontext", None, "#6639ba"),
        ]
    ):
        RatingLabelFactory(scale=s, name=name, value=value, colour=colour, order=order)
    return s


def desk() -> dict:
    ensure_roles()
    rita = UserFactory(username="rita", roles=["reviewer"])
    rob = UserFactory(username="rob", roles=["reviewer"])
    eddie = UserFactory(username="eddie", roles=["editor"])
    zeit, ledger = OutletFactory(name="ZEIT ONLINE"), OutletFactory(name="Northern Ledger")
    article = ArticleFactory(
        outlet=zeit, title="Keine Einigung beim Nordkorea-Gipfel", text=ARTICLE_TEXT, language="de"
    )
    start = ARTICLE_TEXT.index(MAIN)
    main = ClaimFactory(
        article=article,
        index=1,
        text=MAIN,
        start=start,
        end=start + len(MAIN),
        score=0.93,
        claimant="Donald Trump",
        claim_type="quantity",
        language="de",
        context_before="Das Gipfeltreffen in Hanoi hat keinen Durchbruch gebracht.",
        context_after="Kim habe ihm außerdem versprochen, weiterhin keine Atomwaffentests "
        "durchzuführen.",
        entities=[{"text": "Trump", "label": "PER"}, {"text": "Nordkorea", "label": "LOC"}],
        numbers=[{"text": "mehr als einem Jahr", "kind": "duration", "normalized": "> 1 year"}],
    )
    others = []
    for i, (text, score, lang, outlet, kind, claimant) in enumerate(
        [
            (
                "Die Inflation lag 2023 bei 5,9 Prozent.",
                0.81,
                "de",
                zeit,
                "quantity",
                "Statistisches Bundesamt",
            ),
            (
                "Hospital waiting lists fell for a third month in a row.",
                0.77,
                "en",
                ledger,
                "comparison",
                "NHS England",
            ),
            (
                "Unemployment will fall below 4 percent next year.",
                0.64,
                "en",
                ledger,
                "prediction",
                "the chancellor",
            ),
            (
                "Kim habe ihm außerdem versprochen, keine Atomwaffentests durchzuführen.",
                0.55,
                "de",
                zeit,
                "other",
                "Kim Jong Un",
            ),
            ("I think this summit was a waste of time.", 0.21, "en", ledger, "not_claim", ""),
        ]
    ):
        art = ArticleFactory(
            outlet=outlet,
            language=lang,
            text=text,
            published_at=timezone.now() - timedelta(days=i + 1),
        )
        others.append(
            ClaimFactory(
                article=art,
                index=0,
                text=text,
                start=0,
                end=len(text),
                score=score,
                language=lang,
                claim_type=kind,
                claimant=claimant,
            )
        )
    s = scale()
    return {
        "rita": rita,
        "rob": rob,
        "eddie": eddie,
        "main": main,
        "others": others,
        "scale": s,
        "article": article,
    }


def in_review(d: dict) -> Verdict:
    """The main claim with a verdict rita submitted, waiting for an editor."""
    claim = d["main"]
    claim.status = Claim.Status.IN_REVIEW
    claim.save()
    verdict = VerdictFactory(
        claim=claim,
        rating_label=d["scale"].labels.get(name="Richtig"),
        summary="Richtig: Der letzte Atomtest war im September 2017.",
        explanation="Siehe die **Chronologie** der Arms Control Association.",
        status=Verdict.Status.IN_REVIEW,
        author=d["rita"],
        submitted_at=timezone.now(),
    )
    EvidenceSourceFactory(
        verdict=verdict,
        url="https://www.armscontrol.org/factsheets/chronology",
        title="Chronology of U.S.-North Korean Nuclear and Missile Diplomacy",
        publisher="Arms Control Association",
        stance="supports",
        quote="Nov. 28, 2017: North Korea tests the Hwasong-15 ICBM.",
    )
    KnownSourceDomainFactory(
        domain="armscontrol.org",
        name="Arms Control Association",
        reliability="high",
        note="Sourced chronologies.",
    )
    return verdict
