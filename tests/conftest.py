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
