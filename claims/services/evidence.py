"""Evidence sources on a verdict: added by URL, fetched and archived in the background.

The page is fetched with the SSRF-safe fetcher (``claims.ingest.fetch.safe_fetch``) by a Celery
task on the fetch queue; the reviewer sees "fetching…" until the title, publisher and archived
copy are in. A failed fetch never blocks the verdict: the reviewer can type the title and
publisher themselves or fetch again.
"""

from __future__ import annotations

import zlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.dispatch import enqueue_on_commit
from claims.exceptions import InvalidInputError
from claims.ingest.urls import as_uri
from claims.models import EvidenceSource, Verdict
from claims.services.claims import WORK_CLAIM, Actor, require_permission
from claims.services.verdicts import EDITABLE, verdict_draft_get_or_create
from claims.tasks import evidence_fetch_task

QUOTE_MAX_LENGTH = 5_000
ARCHIVE_CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/pdf")


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise InvalidInputError(
            _("Enter a full web address starting with http:// or https://.")
        ) from exc
    url = as_uri(url)  # stored and published as a URI, as the API's schema promises
    if len(url) > 2048:
        raise InvalidInputError(_("The address is too long."))
    return url


def _enqueue_fetch(evidence_id: int) -> None:
    # A broker that is down must not turn a saved source into an error page; the source stays
    # "pending" and the reviewer can fetch again.
    enqueue_on_commit(evidence_fetch_task, evidence_id)


def _editable_verdict(verdict: Verdict) -> None:
    if verdict.status not in EDITABLE:
        raise InvalidInputError(
            _("Evidence can only change while the verdict is a draft or sent back for changes.")
        )


@transaction.atomic
def evidence_add(
    *,
    actor: Actor,
    claim_id: int,
    url: str,
    stance: str,
    quote: str = "",
    title: str = "",
    publisher: str = "",
    fetch: bool = True,
) -> EvidenceSource:
    """Add a source to the claim's verdict (creating the draft if needed) and fetch it later.

    ``fetch=False`` (demo data, imports) keeps the given title and publisher and fetches nothing.
    """
    require_permission(actor, WORK_CLAIM)
    url = _clean_url(url)
    if stance not in EvidenceSource.Stance.values:
        raise InvalidInputError(_("Choose whether the source supports, refutes or gives context."))
    quote = (quote or "").strip()
    if len(quote) > QUOTE_MAX_LENGTH:
        raise InvalidInputError(_("The quote can be at most 5,000 characters long."))
    verdict = verdict_draft_get_or_create(actor=actor, claim_id=claim_id)
    _editable_verdict(verdict)
    evidence = EvidenceSource(
        verdict=verdict,
        url=url,
        stance=stance,
        quote=quote,
        title=(title or "").strip()[:500],
        publisher=(publisher or "").strip()[:300],
        added_by=actor,
        fetch_status=(
            EvidenceSource.FetchStatus.PENDING if fetch else EvidenceSource.FetchStatus.DONE
        ),
    )
    evidence.full_clean(exclude=["archived_copy"])
    evidence.save()
    if fetch:
        _enqueue_fetch(evidence.pk)
    return evidence


@transaction.atomic
def evidence_remove(*, actor: Actor, evidence_id: int) -> None:
    require_permission(actor, WORK_CLAIM)
    evidence = EvidenceSource.objects.select_related("verdict").filter(pk=evidence_id).first()
    if evidence is None:
        raise InvalidInputError(_("This evidence source does not exist."))
    _editable_verdict(evidence.verdict)
    evidence.delete()


@transaction.atomic
def evidence_refetch(*, actor: Actor, evidence_id: int) -> EvidenceSource:
    """Fetch the source again: a failed one, or a newer version of a fetched one."""
    require_permission(actor, WORK_CLAIM)
    evidence = (
        EvidenceSource.objects.select_for_update(of=("self",))
        .select_related("verdict")
        .filter(pk=evidence_id)
    ).first()
    if evidence is None:
        raise InvalidInputError(_("This evidence source does not exist."))
    # Once the verdict is with the editor or published, the fetch keeps its result as a new
    # version beside the archived copy; an editor's correction adopts it (verdict_correct).
    evidence.fetch_status = EvidenceSource.FetchStatus.PENDING
    evidence.fetch_error = ""
    evidence.save(update_fields=["fetch_status", "fetch_error", "updated_at"])
    _enqueue_fetch(evidence.pk)
    return evidence


def _fetch_policy():
    from claims.ingest.fetch import FetchPolicy

    conf = settings.CLAIMTRACKER_FETCH
    return FetchPolicy(
        max_bytes=conf["MAX_BYTES"],
        timeout=conf["TIMEOUT"],
        max_redirects=conf["MAX_REDIRECTS"],
        allowed_private_networks=tuple(conf.get("ALLOWED_PRIVATE_NETWORKS", ())),
    )


def _page_metadata(result) -> tuple[str, str]:
    """(title, publisher) from an HTML page; empty strings when unknown."""
    if result.content_type not in ("text/html", "application/xhtml+xml"):
        return "", ""
    from trafilatura.metadata import extract_metadata

    from claims.ingest.content import ExtractionError
    from claims.ingest.markup import check_markup

    html = result.content.decode(result.charset or "utf-8", errors="replace")
    try:
        check_markup(html)  # the page is still archived; only its title is not read
    except ExtractionError:
        return "", ""
    meta = extract_metadata(html, default_url=result.url)
    if meta is None:
        return "", ""
    title = (meta.title or "").strip()
    publisher = (meta.sitename or "").strip()
    return title[:500], publisher[:300]


def evidence_fetch(*, evidence_id: int) -> None:
    """Fetch an evidence page: title, publisher and an archived copy. Idempotent.

    Runs in the fetch worker. A source that is already fetched is left alone; a fetch error is
    recorded on the source (shown to the reviewer, who can fetch again) and never raised, so
    the task does not retry a page that will not come.
    """
    from claims.ingest.fetch import FetchError, safe_fetch

    evidence = EvidenceSource.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.fetch_status == EvidenceSource.FetchStatus.DONE:
        return
    # The network call happens outside any transaction: no row lock is held while we wait.
    try:
        result = safe_fetch(
            evidence.url, policy=_fetch_policy(), accept_content_types=ARCHIVE_CONTENT_TYPES
        )
    except FetchError as exc:
        EvidenceSource.objects.filter(pk=evidence_id).exclude(
            fetch_status=EvidenceSource.FetchStatus.DONE
        ).update(fetch_status=EvidenceSource.FetchStatus.FAILED, fetch_error=exc.message[:1000])
        return
    title, publisher = _page_metadata(result)
    now = timezone.now()
    with transaction.atomic():
        evidence = (
            EvidenceSource.objects.select_for_update(of=("self",))
            .select_related("verdict")
            .filter(pk=evidence_id)
            .first()
        )
        if evidence is None or evidence.fetch_status == EvidenceSource.FetchStatus.DONE:
            return
        if evidence.archived_copy is not None and evidence.verdict.status not in EDITABLE:
            # The archived copy is what the verdict was decided on and readers see: the new
            # version waits until an editor's correction adopts it.
            evidence.pending_copy = zlib.compress(result.content)
            evidence.pending_content_type = result.content_type or "application/octet-stream"
            evidence.pending_fetched_at = now
            evidence.fetch_status = EvidenceSource.FetchStatus.DONE
            evidence.fetch_error = ""
            evidence.save(
                update_fields=[
                    "pending_copy", "pending_content_type", "pending_fetched_at",
                    "fetch_status", "fetch_error", "updated_at",
                ]
            )  # fmt: skip
            return
        # What the reviewer typed wins over what the page says about itself.
        evidence.title = evidence.title or title
        evidence.publisher = evidence.publisher or publisher or _host(result.url)
        evidence.archived_copy = zlib.compress(result.content)
        evidence.archived_content_type = result.content_type or "application/octet-stream"
        evidence.archived_at = now
        evidence.accessed_at = now
        evidence.fetch_status = EvidenceSource.FetchStatus.DONE
        evidence.fetch_error = ""
        evidence.save()


def evidence_versions_adopt(*, verdict: Verdict) -> dict[str, list]:
    """Make the refetched versions of a verdict's evidence its archived copies (called by
    verdict_correct, inside its transaction); returns what changed, for the correction."""
    changes: dict[str, list] = {}
    pending = EvidenceSource.objects.select_for_update().filter(
        verdict=verdict, pending_copy__isnull=False
    )
    for evidence in pending:
        old = evidence.archived_at.isoformat() if evidence.archived_at else None
        changes[f"evidence {evidence.pk}"] = [old, evidence.pending_fetched_at.isoformat()]
        evidence.archived_copy = evidence.pending_copy
        evidence.archived_content_type = evidence.pending_content_type
        evidence.archived_at = evidence.accessed_at = evidence.pending_fetched_at
        evidence.pending_copy = None
        evidence.pending_content_type = ""
        evidence.pending_fetched_at = None
        evidence.save()
    return changes


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")
