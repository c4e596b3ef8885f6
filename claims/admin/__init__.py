"""Django admin for the whole domain, one module per area."""

from . import api, claims, factchecks, sources, verdicts  # noqa: F401
