"""Atom feed of new and corrected verdicts, newest change first."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from claims.claimreview import site_url, verdict_public_url
from claims.models import Verdict
from claims.selectors.public import verdicts_corrected_or_published

FEED_SIZE = 50


class _PlainTextSummaryFeed(Atom1Feed):
    """Summaries and correction notes are plain text: Django declares every summary
    `type="html"`, so feed readers would render markup written into them.

    Each entry says its own language (``xml:lang``): a German verdict in an English feed is read
    (and hyphenated, spoken by screen readers) as German."""

    def item_attributes(self, item) -> dict[str, str]:
        attrs = super().item_attributes(item)
        if item.get("language"):
            attrs["xml:lang"] = item["language"]
        return attrs

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description") is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class VerdictAtomFeed(Feed):
    feed_type = _PlainTextSummaryFeed
    subtitle = "New and corrected fact-check verdicts."

    def title(self) -> str:
        return f"{settings.CLAIMTRACKER_ORGANIZATION['name']}: verdicts"

    def link(self) -> str:
        return settings.CLAIMTRACKER_ORGANIZATION.get("url") or site_url("/")

    def feed_url(self) -> str:
        return site_url(reverse("public:atom_feed"))

    def items(self):
        return verdicts_corrected_or_published(limit=FEED_SIZE)

    def item_title(self, item: Verdict) -> str:
        label = item.rating_label.name if item.rating_label else "Verdict"
        prefix = "Corrected: " if item.last_correction_at else ""
        return f"{prefix}{label}: {item.claim.claim_text[:150]}"

    def item_description(self, item: Verdict) -> str:
        text = item.summary
        corrections = list(item.corrections.all())
        if corrections:
            latest = corrections[-1]
            text += f"\n\nCorrection ({latest.created_at:%Y-%m-%d}): {latest.note}"
        return text

    def item_link(self, item: Verdict) -> str:
        return verdict_public_url(item)

    def item_guid(self, item: Verdict) -> str:
        # A correction is a new entry (readers should see it), the original keeps its id.
        if item.last_correction_at:
            return f"{verdict_public_url(item)}#correction-{item.last_correction_at.isoformat()}"
        return verdict_public_url(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Verdict):
        return item.published_at

    def item_updateddate(self, item: Verdict):
        return item.changed_at

    def item_author_name(self, item: Verdict) -> str:
        return settings.CLAIMTRACKER_ORGANIZATION["name"]

    def item_extra_kwargs(self, item: Verdict) -> dict[str, str]:
        return {"language": item.claim.language or ""}

    def item_categories(self, item: Verdict):
        return [item.rating_label.name] if item.rating_label else []


class _OneVerdictFeed(VerdictAtomFeed):
    def __init__(self, verdict: Verdict) -> None:
        super().__init__()
        self._verdict = verdict

    def items(self):
        return [self._verdict]


def atom_entry(verdict: Verdict, request: HttpRequest) -> str:
    """The Atom ``<entry>`` the feed carries for ``verdict``, written by the feed's own code.

    The verdict needs the feed selector's annotations (``last_correction_at``,
    ``changed_at``); the editor's preview sets them for a verdict not yet published.
    """
    generator = _OneVerdictFeed(verdict).get_feed(None, request)
    out = StringIO()
    generator.write_items(SimplerXMLGenerator(out, "utf-8", short_empty_elements=True))
    return out.getvalue()
