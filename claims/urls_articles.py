from django.urls import path

from claims.views import articles

app_name = "articles"

urlpatterns = [
    path("", articles.article_list_view, name="list"),
    path("new/", articles.article_submit_view, name="submit"),
    path("<int:article_id>/", articles.article_detail_view, name="detail"),
    path("<int:article_id>/progress/", articles.article_progress_view, name="progress"),
]
