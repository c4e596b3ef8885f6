"""The one place that turns settings into the safe fetcher's policy."""

from django.conf import settings

from claims.ingest.fetch import FetchPolicy


def fetch_policy() -> FetchPolicy:
    conf = settings.CLAIMTRACKER_FETCH
    return FetchPolicy(
        max_bytes=conf["MAX_BYTES"],
        timeout=conf["TIMEOUT"],
        max_redirects=conf["MAX_REDIRECTS"],
        allowed_private_networks=tuple(conf.get("ALLOWED_PRIVATE_NETWORKS", ())),
    )
