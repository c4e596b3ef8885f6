"""The queue's pager keeps every filter: following the rendered "next" link shows page 2 of the
same list, also for the ``rows`` (every appearance) and ``units`` (every sentence) choices."""

import html
import re

import pytest
from django.urls import reverse

from claims.selectors.queue import PAGE_SIZE
from tests.factories import ArticleFactory, ClaimFactory, ClaimGroupFactory

pytestmark = pytest.mark.django_db

NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next">')


def _ids(response) -> set[int]:
    return {int(i) for i in re.findall(r'data-claim-id="(\d+)"', response.content.decode())}


def _next_url(response) -> str:
    found = NEXT_LINK.findall(response.content.decode())
    assert len(found) == 1, "the page has no single 'next' link"
    return html.unescape(found[0])


def _claims_shown_only_with(param: str) -> tuple[set[int], set[int]]:
    """(claims the queue shows by default, claims it shows only with ``param``'s choice), each
    fewer than a page, together more than one."""
    article = ArticleFactory()
    extra = PAGE_SIZE // 2 + 5
    shown: set[int] = set()
    hidden: set[int] = set()
    for _ in range(extra):
        if param == "units":
            shown.add(ClaimFactory(article=article, score=0.9).pk)
            byline = ClaimFactory(article=article, candidate=False, segment="byline", score=0.1)
            hidden.add(byline.pk)
        else:
            # A repeated claim: one row for its group by default, every appearance on request.
            representative = ClaimFactory(article=article, score=0.9)
            group = ClaimGroupFactory(representative=representative)
            representative.group = group
            representative.save(update_fields=["group"])
            shown.add(representative.pk)
            hidden.add(ClaimFactory(group=group, score=0.9).pk)
    return shown, hidden


@pytest.mark.parametrize(("param", "value"), [("units", "sentences"), ("rows", "every")])
def test_following_the_next_link_keeps_the_filter(client, reviewer, param, value):
    shown, hidden = _claims_shown_only_with(param)
    client.force_login(reviewer)
    assert _ids(client.get(reverse("claims:queue"))) == shown  # the default hides them

    first = client.get(reverse("claims:queue"), {param: value, "language": "de"})
    assert first.status_code == 200
    next_url = _next_url(first)
    assert f"{param}={value}" in next_url and "language=de" in next_url
    second = client.get(next_url)
    assert second.status_code == 200
    assert 'rel="next"' not in second.content.decode()  # the last page

    page_one, page_two = _ids(first), _ids(second)
    assert len(page_one) == PAGE_SIZE and page_two
    assert not page_one & page_two
    # Both pages together are the whole filtered list: the claims only that filter shows too.
    assert page_one | page_two == shown | hidden
    prev_url = html.unescape(
        re.search(r'<a href="([^"]+)" rel="prev">', second.content.decode()).group(1)
    )
    assert _ids(client.get(prev_url)) == page_one
