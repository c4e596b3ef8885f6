"""An article submitted with a key runs through the real (eager) pipeline without errors."""

import pytest
from django.conf import settings

from claims.models import Article

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not settings.CELERY_TASK_ALWAYS_EAGER, reason="needs the eager quick start")
def test_submitted_text_is_processed_and_its_claims_are_listed(
    key_client, django_capture_on_commit_callbacks
):
    client = key_client("articles:submit")
    text = (
        "Nordkorea hat seit mehr als einem Jahr keine Atomwaffen getestet, sagte Trump am "
        "Sonntag in Washington. Die Arbeitslosigkeit stieg 2023 um 5,9 Prozent, erklärte das "
        "Statistische Bundesamt."
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/articles/", {"text": text, "title": "T"}, format="json")
    assert response.status_code == 202
    article = Article.objects.get(pk=response.json()["id"])
    # The pipeline ran in this request (eager) with a key, not a user, behind it.
    assert article.status == Article.Status.DONE, article.error
    status = client.get(f"/api/v1/articles/{article.pk}/").json()
    assert status["status"] == article.status
    assert len(status["claims"]) == article.claims.count() >= 1
