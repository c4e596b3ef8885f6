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
# Request bodies are read whole, up to Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default);
# past it the answer is a 413. Every body the schema allows must fit, so the character limits
# are set for the worst case: JSON may escape every character as "\uXXXX" (6 bytes), one beyond
# the BMP as a surrogate pair (12 bytes). 200,000 such characters of text, plus a 1,000-character
# title and a 680-character URL (each byte escaped: 1,360), take 2,413,400 bytes of the
# 2,621,440 (a longer article than this is rare; split it).
MAX_TEXT_LENGTH = 200_000
MAX_TITLE_LENGTH = 1000
WORST_BYTES_PER_CHARACTER = 12
# Text with at least one visible character and no NUL (no database stores one).
NON_BLANK_TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
# Non-empty here: drf-spectacular adds the empty string itself for fields that allow it.
TEXT_PATTERN = r"^[^\u0000]+$"
# Any string without NUL: Django's form and serializer fields refuse NUL (no database stores
# one), so every free-text parameter and body string says so (`no_nul_in_strings`).
NO_NUL_PATTERN = r"^[^\u0000]*$"


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


def _forbid_nul(schema) -> None:
    """Add NO_NUL_PATTERN to a free string schema (no enum, format or pattern of its own)."""
    if not isinstance(schema, dict):
        return
    for key in ("oneOf", "anyOf", "allOf"):
        for part in schema.get(key, []):
            _forbid_nul(part)
    _forbid_nul(schema.get("items"))
    for field in schema.get("properties", {}).values():
        _forbid_nul(field)
    free = schema.get("type") == "string" and not {"enum", "format", "pattern"} & schema.keys()
    if free and schema.get("maxLength") != 0:  # maxLength 0: the empty string, nothing to say
        schema["pattern"] = NO_NUL_PATTERN


def no_nul_in_strings(result, generator, request, public):
    """POSTPROCESSING_HOOKS: string parameters and request-body strings carry no NUL.

    The server refuses NUL everywhere (Django's ProhibitNullCharactersValidator on filter and
    serializer fields, an explicit check where a view reads the query string itself) with a 400;
    the schema says so, so that every string it allows is accepted. Header parameters are left
    alone: HTTP field values cannot carry NUL at all (RFC 9110, section 5.5).
    """
    components = result.get("components", {}).get("schemas", {})
    bodies: set[str] = set()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") in ("query", "path", "cookie"):
                    _forbid_nul(parameter.get("schema"))
            for media in operation.get("requestBody", {}).get("content", {}).values():
                body = media.get("schema", {})
                name = body.get("$ref", "").rsplit("/", 1)[-1]
                if name in components:
                    bodies.add(name)
                else:
                    _forbid_nul(body)
    for name in bodies:
        _forbid_nul(components[name])
    return result
