"""python manage.py load_demo — demo accounts and the seed article (never in production)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.services.demo import demo_load, seed_path


class Command(BaseCommand):
    help = "Load the demo: accounts, a rating scale and the seed article through the real pipeline."

    def handle(self, *args, **options):
        # Under override_settings (tests) SETTINGS_MODULE is None: the environment names it then.
        module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if module.endswith(".production"):
            raise CommandError("load_demo is refused under the production settings.")
        if not seed_path().is_file():
            raise CommandError(
                f"Seed article not found at {seed_path()} (set CLAIMTRACKER_SEED_DIR)."
            )
        result = demo_load()
        article = result["article"]
        self.stdout.write(
            f"Seed article #{article.pk} {article.status}: {article.claims.count()} claims."
        )
        self.stdout.write("Demo accounts (password = user name): " + ", ".join(result["users"]))
