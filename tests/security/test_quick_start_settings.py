"""The quick start runs without DEBUG, so its errors show no tracebacks (issue #17), and still
serves its pages and static files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
missing = client.get("/no-such-page/")
print(json.dumps({
    "debug": settings.DEBUG,
    "css": client.get("/static/css/workspace.css").status_code,
    "missing": missing.status_code,
    "traceback": b"Traceback" in missing.content or b"URLconf" in missing.content,
}))
"""


def test_quick_start_settings_have_debug_off_and_still_serve_static_files(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "claimtracker.settings.development"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'quick.sqlite3'}"
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    result = json.loads(out.stdout.strip().splitlines()[-1])

    assert result["debug"] is False
    assert result["css"] == 200
    assert result["missing"] == 404 and not result["traceback"]
