from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("claims.api.urls")),
    path("articles/", include("claims.urls_articles")),
    path("claims/", include("claims.urls_matching")),
    path("", include("claims.urls_notifications")),
    path("claims/", include("claims.urls_factchecks")),
    path("", include("claims.public.urls")),
    path("", include("claims.urls")),
]
