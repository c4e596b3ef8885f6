"""What the OpenAPI schema says about request bodies beyond what drf-spectacular infers.

The API refuses what its schema does not allow (tests/api/test_schemathesis.py checks both ways):
a body with a field we do not know is a 400 (a typo such as `titel` must not pass silently), so
every request body's component declares `additionalProperties: false`.
"""

from __future__ import annotations

# The subset of http(s) URLs the API accepts, as a pattern (a JSON-Schema `format: uri` admits
# much that no fetcher can use: 70-character host labels, ports past 65535, userinfo). At most
# three labels before a top-level domain keeps the host under DNS's 253 characters; the path is
# printable ASCII (browsers percent-encode the rest).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = r"(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
HTTP_URL_PATTERN = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://(?:{_LABEL}\.){{1,3}}[A-Za-z]{{2,60}}(?::{_PORT})?(?:[/?#][!-~]*)?$"
)
# Canonicalisation (claims.ingest.urls) may grow a URL up to threefold ("+" -> "%20", an invalid
# "%C3" -> "%EF%BF%BD") and the column holds 2048 characters: so any URL this long fits.
MAX_URL_LENGTH = 680
# Text with at least one visible character and no NUL (no database stores one).
NON_BLANK_TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
# Non-empty here: drf-spectacular adds the empty string itself for fields that allow it.
TEXT_PATTERN = r"^[^\u0000]+$"


def strict_request_bodies(result, generator, request, public):
    """POSTPROCESSING_HOOKS: request bodies admit only their declared fields."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            if "requestBody" in operation:
                # Every body we take needs at least one field: no body at all is a 400.
                operation["requestBody"]["required"] = True
            for media in operation.get("requestBody", {}).get("content", {}).values():
                name = media.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                if name in components:
                    components[name]["additionalProperties"] = False
                    for field in components[name].get("properties", {}).values():
                        # URLField's validator adds `format: uri`; our pattern is narrower.
                        if "pattern" in field:
                            field.pop("format", None)
    # ArticleSubmitSerializer.validate: a submission needs a URL, a text, or both.
    if "ArticleSubmit" in components:
        components["ArticleSubmit"]["anyOf"] = [{"required": ["url"]}, {"required": ["text"]}]
    return result
