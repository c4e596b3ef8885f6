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


def demo_load() -> dict:
    admin = demo_user_ensure(username="admin", role="admin", superuser=True)
    article = demo_seed_article()
    return {"users": [admin.username], "article": article}
