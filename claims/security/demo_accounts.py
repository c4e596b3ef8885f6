"""Demo accounts (`load_demo`: password = user name) must never work in production.

`load_demo` refuses the production settings module, but a quick-start settings module pointed at
the production database (`DATABASE_URL=... python manage.py load_demo`) still creates them. So
production refuses every login with a demo password, whoever the account, and
`check --deploy` fails while a demo account still has its demo password.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.db import DatabaseError

DEMO_ACCOUNTS = ("reviewer", "editor", "admin")  # each one's password is its name
DEMO_PASSWORDS = frozenset(DEMO_ACCOUNTS)


class DemoPasswordRefusingBackend(ModelBackend):
    """Django's ModelBackend; with CLAIMTRACKER_REFUSE_DEMO_PASSWORDS (on in production) a demo
    password never authenticates."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if settings.CLAIMTRACKER_REFUSE_DEMO_PASSWORDS and password in DEMO_PASSWORDS:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def demo_accounts_with_demo_passwords() -> list[str]:
    users = get_user_model().objects.filter(username__in=DEMO_ACCOUNTS)
    return sorted(u.username for u in users if u.check_password(u.username))


@checks.register(checks.Tags.security, deploy=True)
def check_demo_accounts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        found = demo_accounts_with_demo_passwords()
    except DatabaseError:
        # The deploy check may run where the database is not reachable (CI): say so, no failure.
        return [
            checks.Info(
                "The database could not be read: demo accounts were not checked.",
                id="claims.I001",
            )
        ]
    if not found:
        return []
    return [
        checks.Error(
            f"Demo accounts with their demo password exist: {', '.join(found)}.",
            hint="Delete them or set real passwords (manage.py changepassword NAME); "
            "production refuses demo passwords at login either way.",
            id="claims.E001",
        )
    ]
