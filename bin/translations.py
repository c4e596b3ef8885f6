"""The German .po is the source of truth for translations; this keeps it in step with the code.

    python bin/translations.py update   # after adding or changing a UI string: refresh the .po
    python bin/translations.py check    # bin/test: fail if the .po is out of date or incomplete

Both run `makemessages` with the same options on a temporary copy of the source files, so the
check never touches the working tree and gives the same answer on every machine (no settings, no
database; `--no-location` so moving a string to another line is not a change).
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["de"]
MAKEMESSAGES_OPTIONS = ["--no-location", "--no-obsolete"]
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# Not shipped UI: tests, benchmarks, training scripts and tooling would only add noise strings.
SKIP_DIRS = {
    "tests",
    "bench",
    "training",
    "bin",
    "docs",
    "locale",
    "static",
    "staticfiles",
    "media",
}
SKIP_DIRS |= {"node_modules", "venv", "tmp", "test-results", "__pycache__"}
# makemessages rewrites this header on every run; it is not a change to the translations.
VOLATILE_HEADER = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


def po_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def _copy_sources(*, root: Path, dest: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and not (here == root and d in SKIP_DIRS)
            and d != "__pycache__"
        )
        for name in filenames:
            if Path(name).suffix in SOURCE_SUFFIXES:
                target = dest / (here / name).relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(here / name, target)
    for language in LANGUAGES:
        source = po_path(root, language)
        if source.exists():
            po_path(dest, language).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, po_path(dest, language))


def regenerate(*, root: Path) -> dict[str, str]:
    """The .po text makemessages would write for each language, from the code under `root`."""
    with tempfile.TemporaryDirectory(prefix="claimtracker-i18n-") as tmp:
        copy = Path(tmp)
        _copy_sources(root=root, dest=copy)
        (copy / "locale").mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["LC_ALL"] = "C"
        command = [sys.executable, "-m", "django", "makemessages", *MAKEMESSAGES_OPTIONS]
        command += [f"--locale={language}" for language in LANGUAGES]
        # A fixed command: this interpreter's Django, options from the constants above.
        done = subprocess.run(  # noqa: S603
            command, cwd=copy, env=env, check=False, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"makemessages failed (is GNU gettext installed?):\n{done.stderr}")
        return {
            language: po_path(copy, language).read_text(encoding="utf-8") for language in LANGUAGES
        }


def canonical(po_text: str) -> str:
    """The .po's meaning, not its layout: entries sorted, lines unwrapped, no creation date, so a
    translator's editor (Poedit wraps differently) or a string moved to another file is no change.
    """
    if not po_text:
        return ""
    # GNU gettext's msgcat, on text we pass in.
    done = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", "--no-location", "-"],  # noqa: S607
        input=po_text,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    if done.returncode:
        raise SystemExit(f"msgcat could not read the .po:\n{done.stderr}")
    return VOLATILE_HEADER.sub("", done.stdout)


def _same(a: str, b: str) -> bool:
    return canonical(a) == canonical(b)


def incomplete(po_text: str) -> list[str]:
    """msgids that would show in English: untranslated (any empty msgstr) or fuzzy."""
    problems = []
    for block in po_text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.MULTILINE)
        if not msgid:
            continue
        text = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if not text:
            continue  # the header
        if re.search(r"^#,.*\bfuzzy\b", block, re.MULTILINE):
            problems.append(f"fuzzy: {text}")
        elif re.search(r'^msgstr(?:\[\d+\])? ""$(?!\n")', block, re.MULTILINE):
            problems.append(f"untranslated: {text}")
    return problems


def check(*, root: Path) -> list[str]:
    errors = []
    for language, fresh in regenerate(root=root).items():
        path = po_path(root, language)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        relative = path.relative_to(root)
        if not _same(current, fresh):
            diff = difflib.unified_diff(
                canonical(current).splitlines(keepends=True),
                canonical(fresh).splitlines(keepends=True),
                fromfile=f"{relative} (committed)",
                tofile=f"{relative} (from the code)",
            )
            errors.append(
                f"{relative} is out of date with the code (a UI string was added, changed or "
                "removed). Run `python bin/translations.py update`, translate the new entries, "
                "remove any `#, fuzzy` line after checking its guess, and commit the .po.\n"
                + "".join(diff)
            )
        errors += [f"{relative}: {problem}" for problem in incomplete(current)]
    return errors


def update(*, root: Path) -> None:
    for language, fresh in regenerate(root=root).items():
        path = po_path(root, language)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if not _same(current, fresh):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(fresh, encoding="utf-8")
            print(f"updated {path.relative_to(root)}")
        for problem in incomplete(fresh):
            print(f"to translate in {path.relative_to(root)}: {problem}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["check", "update"])
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="project directory (default: this one)"
    )
    args = parser.parse_args()
    root = args.root.resolve()
    if args.action == "update":
        update(root=root)
        return 0
    errors = check(root=root)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print("translations: FAILED (see docs in README, 'Translations')", file=sys.stderr)
        return 1
    print("translations: the .po files match the code and are fully translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
