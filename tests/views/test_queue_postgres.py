"""Full-text search of the queue on PostgreSQL (runs when DATABASE_URL points at PostgreSQL)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import ClaimFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search; the SQLite fallback is tested elsewhere")


def test_websearch_syntax(client, reviewer):
    both = ClaimFactory(text="Die Inflation lag 2023 bei 5,9 Prozent.")
    pension = ClaimFactory(text="Die Inflation frisst die Rente auf, 5 Prozent weniger.")
    ClaimFactory(text="Nordkorea hat keine Atomwaffen getestet.")
    client.force_login(reviewer)
    url = reverse("claims:queue")

    def ids(q):
        return {c.pk for c in client.get(url, {"q": q}).context["rows"]}

    assert ids("inflation prozent") == {both.pk, pension.pk}
    assert ids("inflation -rente") == {both.pk}
    assert ids('"lag 2023"') == {both.pk}
    assert ids("or") == set()  # websearch syntax never errors
