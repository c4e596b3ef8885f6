"""Accessibility: axe-core (the npm package, pinned in tests/e2e/axe/) runs in Chromium on every
page of the desk, in English and German; no serious or critical violation is allowed.

axe is injected with ``add_script_tag`` into a context that bypasses the pages' CSP (the pages
allow no script but our own; the check must not weaken that policy). Counts per page go to
``$CLAIMTRACKER_A11Y_REPORT`` when set (docs/accessibility.md quotes them).
"""

import json
import os
from pathlib import Path

import pytest

from claims.models import Claim, EvidenceSource
from tests.e2e import data
from tests.e2e.conftest import login
from tests.factories import EvidenceSourceFactory, PublishedVerdictFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""


@pytest.fixture
def axe_context(browser, live_server):
    if not AXE.is_file():
        pytest.fail(
            f"axe-core missing at {AXE}: run `npm ci --prefix tests/e2e/axe` (bin/test does)"
        )
    contexts = []

    def make(locale: str):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale=locale,
            base_url=live_server.url,
            bypass_csp=True,  # only so axe itself can be injected
        )
        context.set_default_timeout(10_000)
        # The session's first request may warm the live server (URLconf, imports) under load.
        context.set_default_navigation_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def violations(page, url: str) -> list[dict]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    # Frames are checked as pages of their own (the preview): axe needs no cross-frame runs.
    return page.evaluate(RUN_AXE, {"iframes": False, "resultTypes": ["violations"]})


def desk_with_everything() -> dict:
    d = data.desk()
    in_review = data.in_review(d)
    EvidenceSourceFactory(
        verdict=in_review,
        url="http://127.0.0.1:9/transcript",
        title="",
        stance="refutes",
        fetch_status=EvidenceSource.FetchStatus.FAILED,
        fetch_error="connection refused",
    )
    published = PublishedVerdictFactory(
        claim=d["others"][0],
        rating_label=d["scale"].labels.get(name="Falsch"),
        summary="Falsch: Die Inflation lag 2023 bei 5,9 Prozent laut Destatis.",
        author=d["rita"],
        editor=d["eddie"],
    )
    for stance in ("supports", "refutes", "context"):
        EvidenceSourceFactory(verdict=published, stance=stance)
    # "Needs context" badges on the queue and the claim page (what the detector finds in these
    # texts, claims.nlp.references), so axe checks them in both languages.
    for claim, words in (
        (d["main"], ["seit mehr als einem Jahr"]),
        (d["others"][2], ["next year"]),
        (d["others"][3], ["ihm"]),
    ):
        Claim.objects.filter(pk=claim.pk).update(
            standalone_needs_context=True, standalone_unresolved=words
        )
    d["in_review"], d["published"] = in_review, published
    return d


def pages(d: dict) -> dict[str, str]:
    verdict = d["in_review"]
    return {
        "queue": "/queue/",
        "claim (in review)": f"/claims/{d['main'].pk}/",
        "claim (new, verdict form)": f"/claims/{d['others'][1].pk}/",
        "articles": "/articles/",
        "article": f"/articles/{d['article'].pk}/",
        "article (new)": "/articles/new/",
        "review": "/review/",
        "preview and publish": f"/verdicts/{verdict.pk}/preview/",
        "preview (the page)": f"/verdicts/{verdict.pk}/preview/page/",
    }


def _report(locale: str, found: dict[str, list[dict]]) -> None:
    target = os.environ.get("CLAIMTRACKER_A11Y_REPORT")
    if not target:
        return
    path = Path(target)
    report = json.loads(path.read_text()) if path.exists() else {}
    report[locale] = {
        name: {
            "all": len(items),
            "serious_or_critical": sum(v["impact"] in BLOCKING for v in items),
            "rules": sorted({f"{v['id']} ({v['impact']})" for v in items}),
        }
        for name, items in found.items()
    }
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))


@pytest.mark.parametrize("locale", ["en-GB", "de-DE"])
def test_no_serious_or_critical_axe_violations(axe_context, locale):
    d = desk_with_everything()
    found: dict[str, list[dict]] = {}

    anonymous = axe_context(locale)
    found["login"] = violations(anonymous, "/accounts/login/")
    found["public verdict"] = violations(anonymous, f"/verdicts/{d['published'].slug}/")

    editor = axe_context(locale)
    login(editor, "eddie")
    for name, url in pages(d).items():
        found[name] = violations(editor, url)

    _report(locale, found)
    blocking = {
        name: [v for v in items if v["impact"] in BLOCKING]
        for name, items in found.items()
        if any(v["impact"] in BLOCKING for v in items)
    }
    assert blocking == {}, json.dumps(blocking, indent=2, ensure_ascii=False)


FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 40),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def test_keyboard_focus_is_always_visible(new_page):
    """axe does not see focus: Tab through the preview page and the claim page, and every
    focused control shows an outline."""
    d = desk_with_everything()
    page = new_page()
    login(page, "eddie")
    for url in (f"/verdicts/{d['in_review'].pk}/preview/", f"/claims/{d['main'].pk}/"):
        page.goto(url)
        invisible = []
        for _ in range(25):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_STYLE)
            if focus["tag"] in ("BODY", "IFRAME"):
                continue
            if focus["outline"] == "none" or focus["width"] < 2:
                invisible.append(focus)
        assert invisible == [], (url, invisible)
