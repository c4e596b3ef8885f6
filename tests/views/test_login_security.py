"""Login rate limiting with a cool-off (django-axes) and the Content-Security-Policy header."""

from datetime import timedelta

import pytest
from django.urls import reverse

from claims.views.security import WORKSPACE_CSP, ContentSecurityPolicyMiddleware

pytestmark = pytest.mark.django_db

MIDDLEWARE_PATH = "claims.views.security.ContentSecurityPolicyMiddleware"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_username_and_ip_then_cool_off(client, reviewer, settings):
    for _ in range(5):
        response = attempt(client, "rita", "wrong")
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    # Locked even with the right password, from that address...
    assert attempt(client, "rita", "pw").status_code == 429
    # ...but not from another address (username + IP), so an attacker cannot lock her out.
    response = attempt(client, "rita", "pw", ip="10.0.0.2")
    assert response.status_code == 302 and response["Location"] == "/"


def test_lockout_expires_after_the_cool_off(client, reviewer):
    from axes.models import AccessAttempt

    for _ in range(5):
        attempt(client, "rita", "wrong")
    assert attempt(client, "rita", "pw").status_code == 429
    # 15 minutes later (moving the attempt back in time instead of sleeping).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    response = attempt(client, "rita", "pw")
    assert response.status_code == 302


def test_successful_login_goes_to_the_queue(client, reviewer):
    response = attempt(client, "rita", "pw")
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == "/queue/"


@pytest.fixture
def with_csp_middleware(settings):
    if MIDDLEWARE_PATH not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE_PATH]


def test_workspace_pages_carry_a_strict_csp(client, reviewer, with_csp_middleware):
    client.force_login(reviewer)
    for url in (reverse("claims:queue"), reverse("login")):
        response = client.get(url)
        assert response["Content-Security-Policy"] == WORKSPACE_CSP
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_is_left_to_its_own_policy(client, admin_user, with_csp_middleware):
    client.force_login(admin_user)
    assert "Content-Security-Policy" not in client.get("/admin/")


def test_middleware_keeps_a_policy_a_view_set_itself(rf):
    from django.http import HttpResponse

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/claims/1/"))
    assert response["Content-Security-Policy"] == "sandbox"


def test_templates_have_no_inline_scripts_or_styles():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent / "templates"
    for path in (
        list((root / "claims").rglob("*.html"))
        + list((root / "registration").glob("*.html"))
        + [root / "base.html"]
    ):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert "src=" in tag, f"inline script in {path}"
        assert not re.search(r"\sstyle=", text), f"inline style in {path}"
        assert not re.search(r"\son[a-z]+=", text), f"inline handler in {path}"
