"""Export documents as JSON text: indented for people to read, UTF-8 unescaped.

orjson writes the same bytes as `json.dumps(doc, ensure_ascii=False, indent=2)` ten times
faster: with an indent, the standard library falls back to its pure-Python encoder, which
took a second for an export of 10,000 annotations (see docs/decisions/0012)."""

from __future__ import annotations

from typing import Any

import orjson


def json_bytes(doc: Any) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2)
