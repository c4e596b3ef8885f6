import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import UserFactory


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rita", roles=["reviewer"])


@pytest.fixture
def editor(db):
    return UserFactory(username="eddie", roles=["editor"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada", roles=["admin"], is_staff=True, is_superuser=True)


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="rob", roles=["reviewer"])


@pytest.fixture
def nobody(db):
    """A logged-in account without any role."""
    return UserFactory(username="nora")


@pytest.fixture
def rating_scale(db):
    """A small ordinal scale with a non-ordinal label, the default scale."""
    from tests.factories import RatingLabelFactory, RatingScaleFactory

    scale = RatingScaleFactory(name="Test scale", best_rating=3, worst_rating=1, is_default=True)
    for order, (name, value, colour) in enumerate(
        [
            ("True", 3, "#1a7f37"),
            ("Half true", 2, "#9a6700"),
            ("False", 1, "#b42318"),
            ("Missing context", None, "#57606a"),
        ]
    ):
        RatingLabelFactory(scale=scale, name=name, value=value, colour=colour, order=order)
    return scale


def pytest_runtest_setup(item):
    """Tests marked `postgres` need PostgreSQL features; bin/test runs them on PostgreSQL."""
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (bin/test runs it in its PostgreSQL run)")


def pytest_sessionstart(session):
    """The .mo files are built, not committed: compile a missing or stale one so a plain pytest
    run on a fresh clone sees the German UI (bin/test and bin/start run compilemessages)."""
    msgfmt = shutil.which("msgfmt")
    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if msgfmt and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def _private_vector_index(settings, tmp_path):
    """Each test gets its own shared-index directory (its generations name its claims' ids)."""
    from claims.services.matching import matching_index_reset

    settings.CLAIMTRACKER_VECTOR_INDEX_DIR = tmp_path / "vector-index"
    matching_index_reset()
    yield
    matching_index_reset()
