"""The permission matrix: anonymous, no role, reviewer, editor, admin × every URL and action."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

ROLES = ["anonymous", "nobody", "reviewer", "editor", "admin"]
ALLOWED, FORBIDDEN = "allowed", "forbidden"


def everyone_working(role):
    return ALLOWED if role in ("reviewer", "editor", "admin") else FORBIDDEN


def editors_only(role):
    return ALLOWED if role in ("editor", "admin") else FORBIDDEN


def cases(desk):
    new, in_review, published = desk["new"], desk["in_review"], desk["published"]
    evidence = in_review.evidence.first()
    label = desk["label"]
    return {
        "queue": ("get", reverse("claims:queue"), {}, everyone_working, 200),
        "queue-htmx": ("get", reverse("claims:queue") + "?language=de", {}, everyone_working, 200),
        "claim": ("get", reverse("claims:claim", args=[new.pk]), {}, everyone_working, 200),
        "evidence-list": (
            "get",
            reverse("claims:evidence_list", args=[in_review.claim_id]),
            {},
            everyone_working,
            200,
        ),
        "evidence-archive": (
            "get",
            reverse("claims:evidence_archive", args=[evidence.pk]),
            {},
            everyone_working,
            200,
        ),
        "article-copy": (
            "get",
            reverse("claims:article_copy", args=[desk["article"].pk]),
            {},
            everyone_working,
            200,
        ),
        "review": ("get", reverse("claims:review"), {}, editors_only, 200),
        "select": (
            "post",
            reverse("claims:claim_select", args=[new.pk]),
            {},
            everyone_working,
            303,
        ),
        "dismiss": (
            "post",
            reverse("claims:claim_dismiss", args=[new.pk]),
            {"reason": "opinion"},
            everyone_working,
            303,
        ),
        "assign": (
            "post",
            reverse("claims:claim_assign", args=[new.pk]),
            {"assignee": "me"},
            everyone_working,
            303,
        ),
        "note": (
            "post",
            reverse("claims:claim_note", args=[new.pk]),
            {"text": "hi"},
            everyone_working,
            303,
        ),
        "evidence-add": (
            "post",
            reverse("claims:evidence_add", args=[new.pk]),
            {"url": "https://a.example/x", "stance": "refutes"},
            everyone_working,
            303,
        ),
        "evidence-delete": (
            "post",
            reverse("claims:evidence_delete", args=[evidence.pk]),
            {},
            everyone_working,
            303,
        ),  # refused by the service (in review): 303
        "evidence-refetch": (
            "post",
            reverse("claims:evidence_refetch", args=[evidence.pk]),
            {},
            everyone_working,
            303,
        ),
        "verdict-save": (
            "post",
            reverse("claims:verdict_save", args=[new.pk]),
            {"version": 0, "rating_label": label.pk, "summary": "s", "action": "save"},
            everyone_working,
            303,
        ),
        "bulk": (
            "post",
            reverse("claims:queue_bulk"),
            {"action": "assign", "ids": [new.pk], "assignee": "me"},
            everyone_working,
            303,
        ),
        "saved-filter": (
            "post",
            reverse("claims:saved_filter_create"),
            {"name": "mine", "query": "language=de"},
            everyone_working,
            303,
        ),
        "send-back": (
            "post",
            reverse("claims:verdict_send_back", args=[in_review.pk]),
            {"version": in_review.version, "comment": "more sources"},
            editors_only,
            303,
        ),
        "publish": (
            "post",
            reverse("claims:verdict_publish", args=[in_review.pk]),
            {"version": in_review.version, "confirm": "publish"},
            editors_only,
            303,
        ),
        "preview-page": (
            "get",
            reverse("claims:verdict_preview_page", args=[in_review.pk]),
            {},
            editors_only,
            200,
        ),
        "preview": (
            "get",
            reverse("claims:verdict_preview", args=[in_review.pk]),
            {},
            editors_only,
            200,
        ),
        "correct": (
            "post",
            reverse("claims:verdict_correct", args=[published.pk]),
            {
                "version": published.version,
                "note": "typo",
                "rating_label": label.pk,
                "summary": "fixed",
            },
            editors_only,
            303,
        ),
    }


CASE_NAMES = [
    "queue",
    "queue-htmx",
    "claim",
    "evidence-list",
    "evidence-archive",
    "article-copy",
    "review",
    "select",
    "dismiss",
    "assign",
    "note",
    "evidence-add",
    "evidence-delete",
    "evidence-refetch",
    "verdict-save",
    "bulk",
    "saved-filter",
    "send-back",
    "publish",
    "preview-page",
    "preview",
    "correct",
]


def login_as(client, role, request):
    if role == "anonymous":
        return None
    users = {
        "nobody": lambda: UserFactory(username="nora"),
        "reviewer": lambda: request.getfixturevalue("second_reviewer"),
        "editor": lambda: request.getfixturevalue("editor"),
        "admin": lambda: request.getfixturevalue("admin_user"),
    }
    user = users[role]()
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASE_NAMES)
def test_permission_matrix(client, desk, role, case, request):
    method, url, data, rule, ok_status = cases(desk)[case]
    login_as(client, role, request)
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif rule(role) == FORBIDDEN:
        assert response.status_code == 403, response.content[:300]
    else:
        assert response.status_code == ok_status, response.content[:500]


def test_root_sends_anonymous_to_login_and_reviewers_to_the_queue(client, reviewer):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(reviewer)
    response = client.get("/")
    assert response["Location"] == reverse("claims:queue")


def test_get_on_actions_is_refused(client, desk, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("claims:claim_select", args=[desk["new"].pk]))
    assert response.status_code == 405
