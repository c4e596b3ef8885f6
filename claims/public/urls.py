from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.decorators.cache import cache_page

from claims.public import exports, views
from claims.public.feeds import VerdictAtomFeed
from claims.public.sitemaps import VerdictSitemap, sitemap_index

app_name = "public"

SITEMAPS = {"verdicts": VerdictSitemap}

urlpatterns = [
    path("verdicts/<slug:slug>/", views.verdict_detail, name="verdict_detail"),
    path(
        "verdicts/<slug:slug>/evidence/<int:pk>/archive/",
        views.evidence_archive,
        name="evidence_archive",
    ),
    # Singular: the desk's speaker pages live at speakers/<id>/.
    path("speaker/<int:speaker_id>/", views.speaker_detail, name="speaker_detail"),
    path("public.css", views.public_css, name="css"),
    path("claimreview.json", views.claimreview_feed, name="claimreview_feed"),
    path("feeds/verdicts.atom", VerdictAtomFeed(), name="atom_feed"),
    path("exports/verdicts.csv", exports.export_csv, name="export_csv"),
    path("exports/verdicts.jsonl", exports.export_jsonl, name="export_jsonl"),
    path(
        "sitemap.xml",
        cache_page(3600)(sitemap_index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "public:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cache_page(3600)(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
