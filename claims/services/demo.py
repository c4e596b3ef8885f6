"""The demo data the README's start command loads (never in production)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims.models import Article, Outlet
from claims.services.ingestion import article_process_sync, article_submit

SEED_FILE = "hanoi-summit-de.txt"
SEED_URL = "https://www.zeit.de/news/2019-02/28/keine-einigung-beim-nordkorea-gipfel"
SEED_TITLE = "Atomare Abrüstung - Keine Einigung beim Nordkorea-Gipfel"


def seed_path() -> Path:
    """The seed article lives in the shared material beside the checkout, not in this repo."""
    return Path(settings.CLAIMTRACKER_SEED_DIR) / SEED_FILE


def demo_user_ensure(*, username: str, role: str, superuser: bool = False):
    """An account whose password is its name (demo only), in the given role."""
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@demo.invalid"}
    )
    user.set_password(username)
    user.is_staff = superuser or role == "admin"
    user.is_superuser = superuser
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def demo_seed_article() -> Article:
    """The seed article, ingested through the real pipeline in this process."""
    outlet, _ = Outlet.objects.get_or_create(
        name="ZEIT ONLINE",
        defaults={
            "homepage": "https://www.zeit.de/",
            "domain": "www.zeit.de",
            "country": "DE",
            "language": "de",
        },
    )
    # A text submitted with a URL is the submitter's copy and never takes that URL's identity
    # (article_submit), so the demo finds its own copy again by the address it recorded.
    article = Article.objects.filter(submitted_url=SEED_URL).order_by("pk").first()
    if article is None:
        with transaction.atomic():
            article = article_submit(
                source=Article.Source.FILE,
                url=SEED_URL,
                text=seed_path().read_text(encoding="utf-8"),
                title=SEED_TITLE,
                outlet=outlet,
                enqueue=False,
            )
    if article.status != Article.Status.DONE:
        article = article_process_sync(article_id=article.pk)
    return article


# Correctiv's scale (2024) as data: ordinal labels carry a ClaimReview ratingValue on 1..5,
# non-ordinal ones ("Fehlender Kontext", "Unbelegt", "Manipuliert") have none.
CORRECTIV_LABELS = [
    # name (also the ClaimReview alternateName: the desk publishes in German), value, colour
    ("Richtig", 5, "#1a7f37"),
    ("Größtenteils richtig", 4, "#4d8b31"),
    ("Teilweise falsch", 3, "#9a6700"),
    ("Größtenteils falsch", 2, "#bc4c00"),
    ("Falsch", 1, "#b42318"),
    ("Unbelegt", None, "#57606a"),
    ("Fehlender Kontext", None, "#6639ba"),
    ("Manipuliert", None, "#82071e"),
]
POLITIFACT_LABELS = [
    ("True", 6, "#1a7f37"),
    ("Mostly True", 5, "#4d8b31"),
    ("Half True", 4, "#9a6700"),
    ("Mostly False", 3, "#bc4c00"),
    ("False", 2, "#b42318"),
    ("Pants on Fire", 1, "#82071e"),
]
MAIN_CLAIM_MARKER = "seit mehr als einem Jahr"
DEMO_EVIDENCE = [
    {
        "url": "https://www.armscontrol.org/factsheets/chronology-of-us-north-korean-nuclear-and-missile-diplomacy",
        "title": "Chronology of U.S.-North Korean Nuclear and Missile Diplomacy",
        "publisher": "Arms Control Association",
        "quote": "Nov. 28, 2017: North Korea tests the Hwasong-15 ICBM. [...] No further nuclear "
        "or long-range missile tests are reported until after the Hanoi summit.",
        "stance": "supports",
    },
    {
        "url": "https://www.ctbto.org/resources/for-the-media/press-releases/2017/ctbto-detects-unusual-seismic-event-in-democratic-peoples-republic-of-korea",
        "title": "CTBTO detects unusual seismic event in the DPRK (3 September 2017)",
        "publisher": "CTBTO",
        "quote": "The event on 3 September 2017 was the sixth announced nuclear test.",
        "stance": "supports",
    },
]


def demo_rating_scales():
    """The default (Correctiv) and a second (PolitiFact) rating scale."""
    from claims.models import RatingLabel, RatingScale

    correctiv, _ = RatingScale.objects.get_or_create(
        name="Correctiv",
        defaults={
            "best_rating": 5,
            "worst_rating": 1,
            "is_default": True,
            "description": "Correctiv.Faktencheck (2024).",
        },
    )
    politifact, _ = RatingScale.objects.get_or_create(
        name="PolitiFact",
        defaults={"best_rating": 6, "worst_rating": 1, "description": "Truth-O-Meter."},
    )
    for scale, labels in ((correctiv, CORRECTIV_LABELS), (politifact, POLITIFACT_LABELS)):
        for order, (name, value, colour) in enumerate(labels):
            RatingLabel.objects.get_or_create(
                scale=scale,
                name=name,
                defaults={
                    "value": value,
                    "colour": colour,
                    "order": order,
                },
            )
    return correctiv


def demo_known_domains() -> None:
    from claims.models import KnownSourceDomain

    for domain, name, reliability, note in [
        (
            "armscontrol.org",
            "Arms Control Association",
            "high",
            "Non-partisan; maintains sourced chronologies of arms-control events.",
        ),
        ("ctbto.org", "CTBTO", "high", "UN treaty organisation; primary seismic data."),
        ("kcna.kp", "KCNA", "low", "North Korean state media: propaganda, never sole source."),
    ]:
        KnownSourceDomain.objects.get_or_create(
            domain=domain, defaults={"name": name, "reliability": reliability, "note": note}
        )


def demo_main_claim(article: Article):
    """The seed article's main claim: Trump on North Korea not testing for over a year."""
    claims = article.claims.order_by("-score")
    return claims.filter(text__contains=MAIN_CLAIM_MARKER).first() or claims.first()


def demo_published_verdict(*, article: Article, reviewer, editor, scale):
    """One verdict worked through the real services: draft, evidence, submit, publish."""
    from claims.models import Verdict
    from claims.services.evidence import evidence_add
    from claims.services.verdicts import (
        verdict_draft_get_or_create,
        verdict_publish,
        verdict_save,
        verdict_submit,
    )

    claim = demo_main_claim(article)
    if claim is None:
        return None
    existing = Verdict.objects.filter(claim=claim).first()
    if existing is not None and existing.status == Verdict.Status.PUBLISHED:
        return existing
    label = scale.labels.get(name="Richtig")
    verdict = verdict_draft_get_or_create(actor=reviewer, claim_id=claim.pk)
    if not verdict.evidence.exists():
        for source in DEMO_EVIDENCE:
            # fetch=False: the demo must not reach the internet at load time.
            evidence_add(actor=reviewer, claim_id=claim.pk, fetch=False, **source)
    verdict = verdict_save(
        actor=reviewer,
        verdict_id=verdict.pk,
        version=verdict.version,
        rating_label_id=label.pk,
        summary="Richtig: Nordkoreas letzter Atomtest war im September 2017, der letzte "
        "Langstreckenraketentest im November 2017 – beim Gipfel am 28. Februar 2019 also mehr "
        "als ein Jahr her.",
        explanation=(
            "Trump sagte nach dem Gipfel in Hanoi, Nordkorea habe seit mehr als einem Jahr keine "
            "Atomwaffen und Raketen mehr getestet.\n\n"
            "* Der sechste und bislang letzte **Atomtest** fand am 3. September 2017 statt "
            "(CTBTO).\n"
            "* Der letzte **Interkontinentalraketentest** (Hwasong-15) war am 28. November 2017 "
            "(Arms Control Association).\n\n"
            "Am 28. Februar 2019 lagen beide Tests mehr als ein Jahr zurück. Kurzstreckenraketen "
            "testete Nordkorea erst wieder im Mai 2019, nach dem Gipfel."
        ),
    )
    verdict = verdict_submit(actor=reviewer, verdict_id=verdict.pk, version=verdict.version)
    return verdict_publish(actor=editor, verdict_id=verdict.pk, version=verdict.version)


def demo_load() -> dict:
    admin = demo_user_ensure(username="admin", role="admin", superuser=True)
    reviewer = demo_user_ensure(username="reviewer", role="reviewer")
    editor = demo_user_ensure(username="editor", role="editor")
    scale = demo_rating_scales()
    demo_known_domains()
    article = demo_seed_article()
    verdict = demo_published_verdict(article=article, reviewer=reviewer, editor=editor, scale=scale)
    return {
        "users": [reviewer.username, editor.username, admin.username],
        "article": article,
        "verdict": verdict,
    }
