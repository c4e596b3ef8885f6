"""Admin for API keys and webhooks (filled in by the API work)."""
