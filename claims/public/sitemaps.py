from django.contrib.sitemaps import Sitemap

from claims.models import Verdict


class VerdictSitemap(Sitemap):
    changefreq = "weekly"
    limit = 10_000  # pages of the index; each a cheap keyset-free slice of one indexed query

    def items(self):
        return (
            Verdict.objects.filter(status=Verdict.Status.PUBLISHED, slug__isnull=False)
            .only("slug", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def location(self, item: Verdict) -> str:
        from django.urls import reverse

        return reverse("public:verdict_detail", kwargs={"slug": item.slug})

    def lastmod(self, item: Verdict):
        return item.updated_at
