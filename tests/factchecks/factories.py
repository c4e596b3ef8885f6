from datetime import date

import factory

from claims.ingest.urls import url_hash
from claims.models import KnownFactCheck, KnownFactCheckMatch
from tests.factories import ClaimFactory


class KnownFactCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnownFactCheck

    url = factory.Sequence(lambda n: f"https://correctiv.org/faktencheck/{n}/")
    url_hash = factory.LazyAttribute(lambda o: url_hash(o.url))
    publisher_name = "Correctiv"
    publisher_url = "https://correctiv.org/"
    claim_reviewed = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet."
    rating_label = "Falsch"
    date_published = date(2019, 3, 1)
    language = "de"
    content_hash = "x"


class KnownFactCheckMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnownFactCheckMatch

    claim = factory.SubFactory(ClaimFactory)
    factcheck = factory.SubFactory(KnownFactCheckFactory)
    score = 0.93
    reason = "0.90 similar, 1.00 same words"
    level = "confirmed"
