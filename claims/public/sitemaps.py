"""The sitemap of published verdict pages, with links at the site's address (claims/site_urls.py).

Django's sitemap views take scheme and host from the request; with ``CLAIMTRACKER_SITE_URL`` set,
the sections and the index say the configured address instead, like every other absolute link.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest
from django.urls import reverse

from claims.models import Verdict
from claims.site_urls import site_base


def _protocol_and_domain(request: HttpRequest | None = None) -> tuple[str, str]:
    base = urlsplit(site_base(request))
    # "domain" may carry a path prefix when the desk is served below a path of its host.
    return base.scheme, base.netloc + base.path


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
        return reverse("public:verdict_detail", kwargs={"slug": item.slug})

    def lastmod(self, item: Verdict):
        return item.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        protocol, domain = _protocol_and_domain()
        return self._urls(page, protocol, domain)


def sitemap_index(request: HttpRequest, **kwargs):
    """Django's index view, its section links moved to the site's address."""
    response = sitemap_views.index(request, **kwargs)
    request_base = f"{request.scheme}://{request.get_host()}"
    wanted = site_base(request)
    if wanted != request_base:
        response.context_data["sitemaps"] = [
            replace(item, location=wanted + item.location.removeprefix(request_base))
            for item in response.context_data["sitemaps"]
        ]
    return response
