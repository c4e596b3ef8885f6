"""Django admin for the whole domain, one module per area."""

from . import api, claims, factchecks, notifications, sources, speakers, verdicts  # noqa: F401
