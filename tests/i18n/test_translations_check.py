"""bin/translations.py check: the .po files are the source of truth, and bin/test fails when the
code has a UI string the German .po does not translate (run against a temporary copy)."""

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bin" / "translations.py"
PO = Path("locale/de/LC_MESSAGES/django.po")

spec = importlib.util.spec_from_file_location("translations", SCRIPT)
translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translations)

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")


def run_check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "check", "--root", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def project(tmp_path):
    """A copy of this project's translatable sources and its German .po."""
    translations._copy_sources(root=ROOT, dest=tmp_path)
    return tmp_path


def test_the_committed_po_matches_the_code(project):
    done = run_check(project)
    assert done.returncode == 0, done.stderr


def test_a_translators_layout_is_not_a_change(project):
    """An editor that wraps lines its own way or reorders entries keeps the check green."""
    po = project / PO
    subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", "-o", str(po), str(po)],
        check=True,
    )
    assert po.read_text() != (ROOT / PO).read_text()
    done = run_check(project)
    assert done.returncode == 0, done.stderr


def test_a_new_untranslated_string_fails_the_check(project):
    (project / "claims" / "new_feature.py").write_text(
        'from django.utils.translation import gettext as _\n\nLABEL = _("Brand-new button label")\n'
    )
    done = run_check(project)
    assert done.returncode == 1
    assert "out of date with the code" in done.stderr
    assert '+msgid "Brand-new button label"' in done.stderr
    # The check reads a copy: the .po under test is left as it was.
    assert (project / PO).read_text() == (ROOT / PO).read_text()


def test_update_adds_the_string_and_the_check_then_wants_its_translation(project):
    (project / "templates" / "new_feature.html").write_text(
        '{% load i18n %}<button>{% translate "Brand-new button label" %}</button>\n'
    )
    subprocess.run([sys.executable, str(SCRIPT), "update", "--root", str(project)], check=True)
    assert 'msgid "Brand-new button label"\nmsgstr ""' in (project / PO).read_text()
    done = run_check(project)
    assert done.returncode == 1
    assert "untranslated: Brand-new button label" in done.stderr


def test_a_fuzzy_guess_fails_the_check(project):
    po = project / PO
    text = po.read_text()
    po.write_text(text.replace('msgid "Poll now"', '#, fuzzy\nmsgid "Poll now"', 1))
    done = run_check(project)
    assert done.returncode == 1
    assert "fuzzy: Poll now" in done.stderr
