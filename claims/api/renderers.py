"""JSON renderers on orjson: the same bytes DRF's JSONRenderer writes, several times faster.

DRF's renderer runs the stdlib encoder with a Python ``default`` hook; on a 50-row list page
that is a visible share of an uncached request (bench/results/api.md). Output is kept identical:
compact, UTF-8, U+2028/U+2029 escaped, and anything orjson does not know natively (lazy
translations, Decimals, and datetimes, which DRF writes with millisecond precision and ``Z``)
goes through DRF's own encoder. An ``indent`` in the Accept header falls back to DRF.
"""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
# Datetimes in DRF's format (via its encoder); non-string keys (ids) written as strings, as the
# stdlib encoder does.
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _default(obj: Any) -> Any:
    return _ENCODER.default(obj)


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            out = orjson.dumps(data, default=_default, option=_OPTIONS)
        except TypeError:  # what orjson refuses (e.g. integers beyond 64 bits): DRF's way
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80\xa8" in out or b"\xe2\x80\xa9" in out:
            # As DRF does: these are line breaks in JavaScript and break JSONP-style embedding.
            out = out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return out


class JSONLDRenderer(FastJSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
