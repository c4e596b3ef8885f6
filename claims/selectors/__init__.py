"""Reads that matter, one module per area; each returns QuerySets with their joins."""
