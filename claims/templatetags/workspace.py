"""Template helpers of the reviewer workspace."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from claims.services.verdicts import explanation_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Sanitised HTML from Markdown (nh3 allowlist), safe to output as is."""
    return mark_safe(explanation_html(text))  # noqa: S308 - cleaned by nh3 above


@register.simple_tag
def public_verdict_url(verdict) -> str:
    if not verdict or not verdict.slug:
        return ""
    return reverse("public:verdict_detail", kwargs={"slug": verdict.slug})


@register.simple_tag
def page_url(query: str, page: int) -> str:
    """The queue URL for another page, keeping the filters."""
    params = f"{query}&" if query else ""
    # Absolute: the queue is also shown at its forms' addresses after an invalid post.
    return f"{reverse('claims:queue')}?{params}{urlencode({'page': page})}"


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}"
