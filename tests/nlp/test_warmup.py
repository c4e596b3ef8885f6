"""The worker's warm-up loads the models it will use (bin/start turns it on), and the web process
does not load any by importing the app."""

import subprocess
import sys
from pathlib import Path

from claims.nlp import pipelines
from claims.nlp.warmup import warm_models


def test_warm_up_loads_both_claim_pipelines():
    warm_models(matching=False)
    assert {"de", "en"} <= {lang for (lang,), _ in _cache_keys(pipelines.claim_pipeline)}


def _cache_keys(function):
    # functools.cache exposes no keys; a call with a cached argument returns at once, so check
    # the hit count instead of timing.
    before = function.cache_info().hits
    results = [((lang,), function(lang)) for lang in ("de", "en")]
    assert function.cache_info().hits == before + 2
    return results


def test_importing_the_web_app_loads_no_model():
    code = (
        "import django, sys; django.setup(); import claimtracker.urls, claimtracker.celery;"
        " from claims.nlp import pipelines;"
        " print(pipelines.claim_pipeline.cache_info().currsize, 'spacy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0] == "0"
