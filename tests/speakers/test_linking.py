"""Speaker linking after extraction: exact names, aliases valid on the article's date, the
article's own introductions, proposals, organisations, surnames, and re-runs changing nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from claims.models import Article, Claim, Speaker, SpeakerAlias
from claims.services.claim_extraction import article_extract_claims
from claims.services.ingestion import article_fetch, article_submit
from claims.services.speakers import article_speakers_link
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _article(published: date = date(2024, 3, 1)) -> Article:
    return ArticleFactory(published_at=datetime(*published.timetuple()[:3], 12, tzinfo=UTC))


def test_exact_name_links_to_the_existing_speaker():
    olaf = Speaker.objects.create(name="Olaf Scholz", role="Bundeskanzler")
    article = _article()
    claim = ClaimFactory(article=article, claimant="Olaf Scholz")
    other = ClaimFactory(article=article, claimant="olaf  scholz")  # case and spacing

    assert article_speakers_link(article_id=article.pk) == 2

    assert {c.speaker_id for c in Claim.objects.filter(pk__in=[claim.pk, other.pk])} == {olaf.pk}
    assert Speaker.objects.count() == 1


def test_alias_links_only_inside_its_time_span():
    scholz = Speaker.objects.create(name="Olaf Scholz")
    merz = Speaker.objects.create(name="Friedrich Merz")
    SpeakerAlias.objects.create(
        speaker=scholz,
        alias="der Bundeskanzler",
        valid_from=date(2021, 12, 8),
        valid_until=date(2025, 5, 6),
    )
    SpeakerAlias.objects.create(
        speaker=merz, alias="der Bundeskanzler", valid_from=date(2025, 5, 6)
    )
    in_2024 = ClaimFactory(article=_article(date(2024, 3, 1)), claimant="Bundeskanzler")
    in_2026 = ClaimFactory(article=_article(date(2026, 1, 10)), claimant="der Bundeskanzler")

    article_speakers_link(article_id=in_2024.article_id)
    article_speakers_link(article_id=in_2026.article_id)

    in_2024.refresh_from_db()
    in_2026.refresh_from_db()
    assert in_2024.speaker == scholz
    assert in_2026.speaker == merz


def test_an_article_introduction_proposes_a_speaker_with_role_and_party():
    article = _article()
    intro = ClaimFactory(article=article, claimant="Lars Klingbeil", claimant_role="SPD-Chef")
    bare = ClaimFactory(article=article, claimant="Klingbeil")  # surname, unique in the article

    article_speakers_link(article_id=article.pk)

    speaker = Speaker.objects.get()
    assert (speaker.name, speaker.role, speaker.organisation) == (
        "Lars Klingbeil",
        "SPD-Chef",
        "SPD",
    )
    assert speaker.status == Speaker.Status.PROPOSED
    assert speaker.kind == Speaker.Kind.PERSON
    assert set(speaker.claims.values_list("pk", flat=True)) == {intro.pk, bare.pk}


def test_an_ambiguous_surname_is_not_guessed():
    article = _article()
    ClaimFactory(article=article, claimant="Lars Klingbeil")
    ClaimFactory(article=article, claimant="Sarah Klingbeil")
    bare = ClaimFactory(article=article, claimant="Klingbeil")

    article_speakers_link(article_id=article.pk)

    bare.refresh_from_db()
    assert bare.speaker.name == "Klingbeil"
    assert Speaker.objects.count() == 3


def test_organisations_are_proposed_as_organisations():
    article = _article()
    ministry = ClaimFactory(article=article, claimant="Bundesministerium der Finanzen")
    tagged = ClaimFactory(
        article=article,
        claimant="Greenpeace",
        entities=[{"text": "Greenpeace", "label": "ORG", "start": 0, "end": 10}],
    )

    article_speakers_link(article_id=article.pk)

    ministry.refresh_from_db()
    tagged.refresh_from_db()
    assert ministry.speaker.kind == Speaker.Kind.ORGANISATION
    assert tagged.speaker.kind == Speaker.Kind.ORGANISATION


def test_unattributed_and_the_articles_own_voice_are_never_linked():
    article = _article()
    anonymous = ClaimFactory(article=article, claimant="unattributed")
    own = ClaimFactory(article=article, claimant="", reported=False)

    assert article_speakers_link(article_id=article.pk) == 0

    assert Speaker.objects.count() == 0
    assert not Claim.objects.filter(pk__in=[anonymous.pk, own.pk], speaker__isnull=False).exists()


def test_a_second_article_reuses_the_proposal_and_relinking_changes_nothing():
    first, second = _article(), _article()
    ClaimFactory(article=first, claimant="Lars Klingbeil", claimant_role="SPD-Chef")
    ClaimFactory(article=second, claimant="Lars Klingbeil")

    article_speakers_link(article_id=first.pk)
    article_speakers_link(article_id=second.pk)
    assert article_speakers_link(article_id=second.pk) == 0

    assert Speaker.objects.count() == 1
    assert Claim.objects.filter(speaker__isnull=True).count() == 0


def test_a_reviewers_link_is_kept_on_relinking():
    chosen = Speaker.objects.create(name="Someone Else")
    claim = ClaimFactory(claimant="Lars Klingbeil", speaker=chosen)

    article_speakers_link(article_id=claim.article_id)

    claim.refresh_from_db()
    assert claim.speaker == chosen


def test_confirmed_speakers_win_over_proposed_namesakes():
    Speaker.objects.create(name="Jens Spahn", status=Speaker.Status.PROPOSED)
    confirmed = Speaker.objects.create(name="Jens Spahn")
    claim = ClaimFactory(claimant="Jens Spahn")

    article_speakers_link(article_id=claim.article_id)

    claim.refresh_from_db()
    assert claim.speaker == confirmed


TEXT = (
    "Die Zahl der Pflegekräfte in Deutschland ist im vergangenen Jahr um 4,5 Prozent auf "
    "1,7 Millionen gestiegen. Das sagte Gesundheitsminister Jens Spahn am Dienstag in Berlin.\n\n"
    "Die Krankenkassen hätten im selben Zeitraum 12 Milliarden Euro mehr für die Pflege "
    "ausgegeben, sagte er."
)


def test_extraction_links_the_claimant_and_reextraction_adds_nothing():
    article = article_submit(source=Article.Source.TEXT, text=TEXT, title="Pflege", enqueue=False)
    article_fetch(article_id=article.pk)
    article_extract_claims(article_id=article.pk)

    spoken = Claim.objects.filter(article=article, claimant="Jens Spahn")
    assert spoken.count() >= 2
    speaker = Speaker.objects.get(name="Jens Spahn")
    assert speaker.status == Speaker.Status.PROPOSED
    assert "Gesundheitsminister" in speaker.role
    assert set(spoken.values_list("speaker_id", flat=True)) == {speaker.pk}

    Article.objects.filter(pk=article.pk).update(status=Article.Status.EXTRACTING)
    article_extract_claims(article_id=article.pk)
    assert Speaker.objects.count() == 1


def test_a_bare_surname_goes_to_the_one_person_of_that_surname():
    trump = Speaker.objects.create(name="Donald Trump", status=Speaker.Status.PROPOSED)
    Speaker.objects.create(name="Trump Organization", kind=Speaker.Kind.ORGANISATION)
    Speaker.objects.create(name="Thomas Müller")
    Speaker.objects.create(name="Gerd Müller")
    bare = ClaimFactory(claimant="Trump")
    ambiguous = ClaimFactory(claimant="Müller")

    article_speakers_link(article_id=bare.article_id)
    article_speakers_link(article_id=ambiguous.article_id)

    bare.refresh_from_db()
    ambiguous.refresh_from_db()
    assert bare.speaker == trump
    assert ambiguous.speaker.name == "Müller"  # two Müllers: not guessed, proposed apart


def test_link_speakers_command_backfills_stored_claims():
    from io import StringIO

    from django.core.management import call_command

    old = ClaimFactory(claimant="Lars Klingbeil", claimant_role="SPD-Chef")
    ClaimFactory(claimant="unattributed")
    out = StringIO()

    call_command("link_speakers", stdout=out)
    call_command("link_speakers", stdout=out)

    old.refresh_from_db()
    assert old.speaker.name == "Lars Klingbeil"
    assert out.getvalue().splitlines() == [
        "linked 1 claims in 1 articles",
        "linked 0 claims in 0 articles",
    ]


def test_each_automatic_link_is_a_history_row_shown_on_the_speakers_page(client, reviewer):
    """Who: the system (no user); what: claim X linked to speaker Y; by which rule. The
    speaker's page lists these beside the speaker's own changes."""
    scholz = Speaker.objects.create(name="Olaf Scholz")
    SpeakerAlias.objects.create(speaker=scholz, alias="der Bundeskanzler")
    trump = Speaker.objects.create(name="Donald Trump")
    article = _article()
    by_name = ClaimFactory(article=article, claimant="Olaf Scholz")
    by_alias = ClaimFactory(article=article, claimant="Bundeskanzler")
    by_surname = ClaimFactory(article=article, claimant="Trump")
    proposed = ClaimFactory(article=article, claimant="Lars Klingbeil", claimant_role="SPD-Chef")

    assert article_speakers_link(article_id=article.pk) == 4
    assert article_speakers_link(article_id=article.pk) == 0  # a re-run writes no row

    def reason(claim):
        rows = Claim.history.filter(id=claim.pk, history_change_reason__startswith="linked")
        (row,) = rows
        assert row.history_user is None  # the system
        return row.speaker_id, row.history_change_reason

    klingbeil = Speaker.objects.get(name="Lars Klingbeil")
    assert reason(by_name) == (
        scholz.pk,
        f"linked claim {by_name.pk} to speaker {scholz.pk} by rule: name",
    )
    assert reason(by_alias) == (
        scholz.pk,
        f"linked claim {by_alias.pk} to speaker {scholz.pk} by rule: alias on the article's date",
    )
    assert reason(by_surname) == (
        trump.pk,
        f"linked claim {by_surname.pk} to speaker {trump.pk} by rule: the one person of that "
        "surname",
    )
    assert reason(proposed) == (
        klingbeil.pk,
        f"linked claim {proposed.pk} to speaker {klingbeil.pk} by rule: proposed from the article",
    )

    client.force_login(reviewer)
    page = client.get(f"/speakers/{scholz.pk}/").content.decode()
    assert page.count('data-testid="speaker-history-link"') == 2
    assert f"linked claim {by_alias.pk} to speaker {scholz.pk}" in page
    assert f'href="/claims/{by_alias.pk}/"' in page
