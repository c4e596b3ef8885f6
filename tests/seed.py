"""The seed article lives in the shared material beside the checkout; it is never committed.

CI has it (../shared/seeds); elsewhere tests that need it are skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = Path(os.environ.get("CLAIMTRACKER_SEED_DIR", ROOT.parent / "shared" / "seeds"))
SEED_PATH = SEED_DIR / "hanoi-summit-de.txt"


def seed_text() -> str:
    if not SEED_PATH.is_file():
        message = f"seed article not found at {SEED_PATH} (set CLAIMTRACKER_SEED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SEED_PATH.read_text(encoding="utf-8")
