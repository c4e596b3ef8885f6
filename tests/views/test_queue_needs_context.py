"""The desk shows which claims cannot be read without the article: a "Needs context" badge with
the unresolved words and the original sentence on the queue and the claim page, and a queue
filter; nothing about who may see the queue changes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from claims.services.saved_filters import clean_query
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

SENTENCE = "Die 32-Jährige soll dort 30 Autos angezündet haben, sagte er."
STANDALONE = "Laut Polizeisprecher Timo Zill soll die 32-Jährige dort 30 Autos angezündet haben."


def _ids(response) -> set[int]:
    return {int(i) for i in re.findall(r'data-claim-id="(\d+)"', response.content.decode())}


@pytest.fixture
def claims():
    article = ArticleFactory(language="de")
    needs = ClaimFactory(
        article=article,
        text=SENTENCE,
        standalone=STANDALONE,
        standalone_needs_context=True,
        standalone_unresolved=["die 32-Jährige", "dort"],
        score=0.9,
    )
    alone = ClaimFactory(
        article=article,
        text="Die Zahl der Brandanschläge in Hamburg stieg 2019 um 20 Prozent.",
        standalone_needs_context=False,
        score=0.8,
    )
    unknown = ClaimFactory(  # stored before the flag existed: not assessed
        article=article, text="Hamburg hat 1,8 Millionen Einwohner.", score=0.7
    )
    return needs, alone, unknown


def test_queue_badge_names_the_unresolved_words_and_shows_the_original_sentence(
    client, reviewer, claims
):
    needs = claims[0]
    client.force_login(reviewer)
    html = client.get(reverse("claims:queue")).content.decode()
    badges = re.findall(r'data-testid="needs-context".*?</small>', html, re.S)
    assert len(badges) == 1  # only the claim that needs context carries it
    badge = badges[0]
    assert "Needs context" in badge
    assert '<q lang="de">die 32-Jährige</q>, <q lang="de">dort</q>' in badge
    assert SENTENCE in badge  # the original sentence, beside the standalone text shown first
    row = re.search(rf'data-claim-id="{needs.pk}".*?</tr>', html, re.S).group(0)
    assert 'data-testid="needs-context"' in row


def test_queue_filter_needs_context_reads_alone_and_any(client, reviewer, claims):
    needs, alone, unknown = claims
    client.force_login(reviewer)
    url = reverse("claims:queue")
    assert _ids(client.get(url)) == {needs.pk, alone.pk, unknown.pk}
    assert _ids(client.get(url, {"context": "needs"})) == {needs.pk}
    assert _ids(client.get(url, {"context": "alone"})) == {alone.pk}
    # The filter is offered with an accessible label, its choice kept in the form.
    html = client.get(url, {"context": "needs"}).content.decode()
    assert '<label for="id_context">Standalone text</label>' in html
    assert re.search(r'<option value="needs" selected>needs context</option>', html)
    # An unknown value is a form error, not a crash or a silently different list.
    response = client.get(url, {"context": "bogus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_htmx_results_partial_carries_the_badge(client, reviewer, claims):
    client.force_login(reviewer)
    response = client.get(
        reverse("claims:queue"),
        {"context": "needs"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="queue-results",
    )
    html = response.content.decode()
    assert "<html" not in html and 'data-testid="needs-context"' in html


def test_the_context_filter_survives_saving_and_paging(claims):
    assert clean_query("context=needs&language=de&evil=1") == "context=needs&language=de"


def test_claim_page_shows_the_note_with_words_and_original_sentence(client, reviewer, claims):
    needs, alone, _unknown = claims
    client.force_login(reviewer)
    html = client.get(reverse("claims:claim", args=[needs.pk])).content.decode()
    note = re.search(r'<div class="needs-context-note" data-testid="needs-context">.*?</div>',
                     html, re.S).group(0)  # fmt: skip
    assert "Needs context" in note
    assert '<q lang="de">die 32-Jährige</q>, <q lang="de">dort</q>' in note
    assert f'data-testid="needs-context-sentence">{SENTENCE}</q>' in note
    assert STANDALONE in html  # the standalone statement stays what the page shows first
    other = client.get(reverse("claims:claim", args=[alone.pk])).content.decode()
    assert 'data-testid="needs-context"' not in other


def test_permissions_are_unchanged(client, nobody, claims):
    url = reverse("claims:queue")
    response = client.get(url, {"context": "needs"})
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(nobody)
    assert client.get(url, {"context": "needs"}).status_code == 403
    needs = claims[0]
    assert client.get(reverse("claims:claim", args=[needs.pk])).status_code == 403
