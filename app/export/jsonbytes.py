"""Export documents as JSON text: indented for people to read, UTF-8 unescaped except for
`<`, `>` and `&`.

orjson writes the same bytes as `json.dumps(doc, ensure_ascii=False, indent=2)` ten times
faster: with an indent, the standard library falls back to its pure-Python encoder, which
took a second for an export of 10,000 annotations (see docs/decisions/0012).

JSON-LD is published inside `<script type="application/ld+json">` (that is how search
engines read ClaimReview), where a `</script>` in a title would end the script and the
rest of the text would run as the page's markup. Written as `\\u003c`, `\\u003e` and
`\\u0026` the characters mean the same to any JSON reader and nothing to an HTML parser.
The three can only stand inside strings in JSON text, so replacing them in the bytes is
exact."""

from __future__ import annotations

from typing import Any

import orjson

_ESCAPES = ((b"&", b"\\u0026"), (b"<", b"\\u003c"), (b">", b"\\u003e"))


def json_bytes(doc: Any) -> bytes:
    out = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    for raw, escaped in _ESCAPES:
        out = out.replace(raw, escaped)
    return out
