"""Django admin for the whole domain, one module per area."""

from . import api, claims, sources, verdicts  # noqa: F401
