"""Ingestion building blocks: SSRF-safe fetching, main-text extraction, feeds, URL identity.

Pure Python (no Django imports): callers pass settings in as arguments.
"""
