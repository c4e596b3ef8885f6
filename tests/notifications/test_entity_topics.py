"""Topic watches that name an entity ("entity:Olaf Scholz"), beside keyword topics (#16)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.exceptions import InvalidInputError
from claims.models import Notification, Speaker, SpeakerAlias, WatchRule
from claims.nlp.entity_topics import claim_name_keys, entity_of_topic, introduced_people, name_key
from claims.services.alerts import article_alerts_evaluate
from claims.services.watch import watch_rule_add
from tests.factories import ArticleFactory, ClaimFactory, UserFactory


def test_name_keys_ignore_case_diacritics_spelling_and_articles():
    assert name_key("Müller") == name_key("MULLER") == name_key("Mueller") == "muller"
    assert name_key("Straße") == name_key("Strasse")
    assert name_key("der Bundestag") == name_key("Bundestag") == "bundestag"
    assert name_key("Jean-Luc  Mélenchon") == "jean luc melenchon"
    assert name_key("Olaf Scholz") != name_key("Olaf Schulz")
    assert entity_of_topic("Entity: Olaf  Scholz ") == "Olaf Scholz"
    assert entity_of_topic("entity:") is None and entity_of_topic("Scholz") is None


def test_a_lone_surname_is_the_person_the_article_introduced():
    people = introduced_people(["Olaf Scholz", "Friedrich Merz", "Scholz"])
    keys, persons = claim_name_keys(
        entities=[{"text": "Scholz", "label": "PERSON"}, {"text": "Berlin", "label": "LOC"}],
        names=[],
        people=people,
    )
    assert keys == {"scholz", "olaf scholz", "berlin"} and "olaf scholz" in persons
    # Two people of that surname in the article: the surname stays a surname.
    two = introduced_people(["Thomas Müller", "Gerd Müller"])
    keys, _persons = claim_name_keys(
        entities=[{"text": "Müller", "label": "PERSON"}], names=[], people=two
    )
    assert keys == {"muller"}
    # An organisation's one-word name is never expanded to a person's.
    keys, _persons = claim_name_keys(
        entities=[{"text": "Scholz", "label": "ORG"}], names=[], people=people
    )
    assert keys == {"scholz"}


@pytest.mark.django_db
class TestEntityTopicAlerts:
    def _claim(self, article, text, entities, **kwargs):
        return ClaimFactory(article=article, text=text, entities=entities, **kwargs)

    def test_entity_topics_match_entities_speakers_and_variants(
        self, reviewer, django_capture_on_commit_callbacks
    ):
        scholz_fan = UserFactory(username="sf")
        muller_fan = UserFactory(username="mf")
        merz_fan = UserFactory(username="mz")
        org_fan = UserFactory(username="of")
        keyword_fan = UserFactory(username="kf")
        watch_rule_add(user=scholz_fan, kind="topic", topic="entity:Olaf Scholz")
        watch_rule_add(user=muller_fan, kind="topic", topic="entity: Thomas Mueller")
        watch_rule_add(user=merz_fan, kind="topic", topic="entity:merz")
        watch_rule_add(user=org_fan, kind="topic", topic="entity:Europäische Zentralbank")
        watch_rule_add(user=keyword_fan, kind="topic", topic="Zinsen Inflation")

        article = ArticleFactory(status="done")
        # The article introduces Olaf Scholz; a later claim names him by surname only.
        self._claim(
            article,
            "Olaf Scholz sprach in Berlin.",
            [{"text": "Olaf Scholz", "label": "PERSON"}, {"text": "Berlin", "label": "LOC"}],
            checkworthy=False,
            claimant="",
        )
        by_surname = self._claim(
            article,
            "Scholz sagte, die Inflation sinke unter zwei Prozent.",
            [{"text": "Scholz", "label": "PERSON"}],
            claimant="",
        )
        diacritics = self._claim(
            article,
            "Thomas Müller behauptet, die Zinsen seien gestiegen.",
            [{"text": "THOMAS MÜLLER", "label": "PERSON"}],
            claimant="",
        )
        org = self._claim(
            article,
            "Die EZB hat die Leitzinsen 2023 zehnmal erhöht.",
            [{"text": "Europaische Zentralbank", "label": "ORG"}],
            claimant="",
        )
        merz = Speaker.objects.create(name="Friedrich Merz")
        SpeakerAlias.objects.create(speaker=merz, alias="CDU-Chef")
        by_speaker = self._claim(
            article, "Die Steuern sind zu hoch.", [], claimant="der CDU-Chef", speaker=merz
        )
        unrelated = self._claim(
            article, "Die Mieten stiegen um zwölf Prozent.", [], claimant="Anna Schmidt"
        )
        with django_capture_on_commit_callbacks(execute=True):
            article_alerts_evaluate(article_id=article.pk)

        def alerted(user):
            return set(
                Notification.objects.filter(recipient=user, kind="alert_watch").values_list(
                    "url", flat=True
                )
            )

        assert alerted(scholz_fan) == {f"/claims/{by_surname.pk}/"}
        assert alerted(muller_fan) == {f"/claims/{diacritics.pk}/"}
        assert alerted(merz_fan) == {f"/claims/{by_speaker.pk}/"}  # a surname topic: Merz
        assert alerted(org_fan) == {f"/claims/{org.pk}/"}
        # Keyword topics work as before (all words, case-folded).
        assert alerted(keyword_fan) == set()
        assert f"/claims/{unrelated.pk}/" not in set().union(
            *(alerted(u) for u in (scholz_fan, muller_fan, merz_fan, org_fan))
        )

    def test_a_surname_the_article_never_expands_is_not_the_person(self, reviewer):
        watch_rule_add(user=reviewer, kind="topic", topic="entity:Olaf Scholz")
        article = ArticleFactory(status="done")
        ClaimFactory(
            article=article,
            text="Scholz sagte, die Inflation sinke.",
            entities=[{"text": "Scholz", "label": "PERSON"}],
            claimant="",
        )
        article_alerts_evaluate(article_id=article.pk)
        assert not Notification.objects.filter(recipient=reviewer).exists()

    def test_keyword_topics_still_match_words(self, reviewer):
        watch_rule_add(user=reviewer, kind="topic", topic="Zinsen Inflation")
        article = ArticleFactory(status="done")
        claim = ClaimFactory(
            article=article, text="Die Inflation frisst die Zinsen auf.", entities=[]
        )
        article_alerts_evaluate(article_id=article.pk)
        (alert,) = Notification.objects.filter(recipient=reviewer)
        assert alert.url == f"/claims/{claim.pk}/"

    def test_the_watch_command_and_the_watchlist_accept_entities(self, client, reviewer):
        from io import StringIO

        out = StringIO()
        call_command("watch", "--user", "rita", "--topic", "entity:Olaf  Scholz", stdout=out)
        assert out.getvalue().strip().split("\t")[1:] == ["topic", "entity:Olaf Scholz"]
        # the same name in other case is the same rule
        call_command("watch", "--user", "rita", "--topic", "ENTITY:olaf scholz", stdout=out)
        assert WatchRule.objects.filter(user=reviewer).count() == 1
        with pytest.raises(InvalidInputError):
            watch_rule_add(user=reviewer, kind="topic", topic="entity:  ")

        client.force_login(reviewer)
        follow = reverse("notifications:follow")
        response = client.post(follow, {"kind": "topic", "target": "entity:Die Linke"})
        assert response.status_code == 303
        page = client.get(reverse("notifications:watchlist"))
        assert "entity:Die Linke" in page.content.decode()
        assert 'data-testid="topic-entity-hint"' in page.content.decode()
        response = client.post(follow, {"kind": "topic", "target": "entity:"})
        assert response.status_code == 400
        assert "Write the name after" in response.content.decode()
