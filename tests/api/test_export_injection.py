"""Third-party text in the CSV export and the Atom feed cannot act as a formula or as markup
(issue #17, security 7 and 8)."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _csv(client) -> list[dict[str, str]]:
    response = client.get("/exports/verdicts.csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("https://evil.example","Klick")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"],
)  # fmt: skip
def test_csv_cells_that_look_like_formulas_are_neutralised(client, publish, dangerous):
    publish(dangerous, dangerous)

    [row] = _csv(client)

    assert row["claim"] == "'" + dangerous
    assert row["summary"] == "'" + dangerous


@pytest.mark.parametrize("value", ["\t=1+1", "\r=1+1"])
def test_cells_starting_with_tab_or_carriage_return_are_neutralised(value):
    # The services strip stored texts, so these reach the export only through future fields.
    from claims.public.exports import _neutralised

    assert _neutralised(value) == "'" + value
    assert _neutralised(-2) == -2


def test_ordinary_csv_cells_are_unchanged(client, publish):
    publish("Die Zahl stieg um 5 Prozent.", "Stimmt nicht: minus 2 Prozent.")
    [row] = _csv(client)
    assert row["claim"] == "Die Zahl stieg um 5 Prozent."
    assert row["summary"] == "Stimmt nicht: minus 2 Prozent."


def test_atom_summaries_are_declared_plain_text(client, publish):
    markup = '<img src=x onerror="alert(1)"> <b>fett</b>'
    publish("Die Zahl stieg um 5 Prozent.", markup)

    feed = ElementTree.fromstring(client.get("/feeds/verdicts.atom").content)  # noqa: S314 our own feed
    [summary] = feed.iter(f"{ATOM}summary")

    assert summary.get("type") == "text"
    assert summary.text == markup  # shown as the characters written, never rendered
