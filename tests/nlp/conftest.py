import pytest

from tests import seed


@pytest.fixture(scope="session")
def seed_text() -> str:
    return seed.seed_text()


@pytest.fixture(scope="session")
def seed_claims(seed_text):
    from claims.nlp import extract_claims

    return extract_claims(seed_text, lang="de")


def find(claims, fragment: str):
    """The one claim whose text contains ``fragment``."""
    hits = [c for c in claims if fragment in c.text]
    assert len(hits) == 1, f"{fragment!r} matched {[c.text for c in hits]}"
    return hits[0]
