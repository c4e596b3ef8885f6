"""Demo accounts never work in production (issue #17, security 9)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from claims.services.demo import demo_user_ensure

pytestmark = pytest.mark.django_db


def logs_in(client, username: str, password: str) -> bool:
    client.post("/accounts/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def demo_admin():
    # what `DATABASE_URL=<production> manage.py load_demo` leaves behind
    return demo_user_ensure(username="admin", role="admin", superuser=True)


def test_production_refuses_demo_passwords_at_login(client, settings, demo_admin):
    settings.CLAIMTRACKER_REFUSE_DEMO_PASSWORDS = True

    assert not logs_in(client, "admin", "admin")

    demo_admin.set_password("a-real-passphrase-7261")
    demo_admin.save()
    assert logs_in(client, "admin", "a-real-passphrase-7261")


def test_the_quick_start_still_logs_in_with_demo_passwords(client, demo_admin):
    assert logs_in(client, "admin", "admin")


def test_check_deploy_fails_while_a_demo_account_has_its_demo_password(demo_admin, monkeypatch):
    # The browser tests' conftest allows async-unsafe calls for the whole session (Playwright runs
    # an event loop), which `check --deploy` rightly reports: not this test's subject.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    with pytest.raises(SystemCheckError, match=r"claims\.E001"):
        call_command("check", "--deploy")

    demo_admin.set_password("a-real-passphrase-7261")
    demo_admin.save()
    call_command("check", "--deploy")  # warnings of the test settings only, no error
