"""Django admin for the whole domain, one module per area."""

from . import api, claims, notifications, sources, verdicts  # noqa: F401
