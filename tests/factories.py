"""factory-boy factories for the domain. Shared by every test area."""

import hashlib
import importlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from claims import models


def ensure_roles() -> None:
    """The role groups come from a data migration, which a transactional test's flush empties."""
    roles = importlib.import_module("claims.migrations.0002_roles").ROLES
    for name, codenames in roles.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.set(
                Permission.objects.filter(
                    content_type__app_label="claims",
                    codename__in=[c.split(".")[1] for c in codenames],
                )
            )
    admin, created = Group.objects.get_or_create(name="admin")
    if created:
        admin.permissions.set(Permission.objects.all())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=["reviewer"]) puts the user in those role groups."""
        if create and extracted:
            ensure_roles()
            self.groups.add(*Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    homepage = factory.LazyAttribute(lambda o: f"https://outlet{o.name.split()[-1]}.example/")
    country = "DE"
    language = "de"


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feed

    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://feeds.example/{n}.xml")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Article

    url = factory.Sequence(lambda n: f"https://news.example/article-{n}")
    url_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.url.encode()).hexdigest())
    outlet = factory.SubFactory(OutletFactory)
    source = models.Article.Source.URL
    title = factory.Sequence(lambda n: f"Article {n}")
    language = "de"
    text = "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump."
    status = models.Article.Status.DONE
    published_at = factory.LazyFunction(timezone.now)


class ClaimGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClaimGroup


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Claim

    article = factory.SubFactory(ArticleFactory)
    index = factory.Sequence(lambda n: n)
    text = factory.LazyAttribute(lambda c: c.article.text)
    start = 0
    end = factory.LazyAttribute(lambda c: len(c.text))
    score = 0.8
    checkworthy = True
    claim_type = models.Claim.Type.QUANTITY
    reported = True
    claimant = "Donald Trump"
    language = "de"


class RatingScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RatingScale
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Scale {n}")
    best_rating = 5
    worst_rating = 1


class RatingLabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RatingLabel

    scale = factory.SubFactory(RatingScaleFactory)
    name = factory.Sequence(lambda n: f"Label {n}")
    order = factory.Sequence(lambda n: n)
    value = 1
    colour = "#c0392b"


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Verdict
        skip_postgeneration_save = True  # the search_vector hook writes its own column

    claim = factory.SubFactory(ClaimFactory)
    rating_label = factory.SubFactory(RatingLabelFactory)
    summary = "False: North Korea tested missiles in 2019."
    explanation = "The claim is **wrong**."
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def search_vector(self, create, extracted, **kwargs):
        # The stored search vector, as the verdict services write it (PostgreSQL only).
        if create:
            from claims.services.verdicts import verdict_search_vector_update

            verdict_search_vector_update(verdict_id=self.pk)
            self.refresh_from_db(fields=["search_vector"])


class PublishedVerdictFactory(VerdictFactory):
    status = models.Verdict.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    slug = factory.Sequence(lambda n: f"verdict-{n}")


class EvidenceSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EvidenceSource

    verdict = factory.SubFactory(VerdictFactory)
    url = factory.Sequence(lambda n: f"https://evidence.example/{n}")
    title = "Missile test report"
    publisher = "Evidence Weekly"
    quote = "North Korea launched two short-range missiles."
    stance = models.EvidenceSource.Stance.REFUTES
    fetch_status = models.EvidenceSource.FetchStatus.DONE


class KnownSourceDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.KnownSourceDomain
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"source{n}.example")
    name = factory.LazyAttribute(lambda d: d.domain.split(".")[0].title())
    reliability = models.KnownSourceDomain.Reliability.HIGH
    note = "Official statistics office; primary data."


class ClaimNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ClaimNote

    claim = factory.SubFactory(ClaimFactory)
    author = factory.SubFactory(UserFactory)
    text = "Checked the ministry's press release."
