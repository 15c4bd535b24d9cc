"""JSON from outside (request bodies, imported files) as the reading room accepts it.

The standard parser takes more than JSON and more than the rest of the app can hold:
`NaN`, `Infinity` and numbers past a float (`1e400`) become values that no response can
encode again; a string may hold a lone surrogate (`"\\ud800"`), which is no character and
cannot be written as UTF-8; thousands of nested brackets exhaust the interpreter's stack;
an integer of many thousand digits is refused with an error of the wrong kind. `loads`
refuses each of these with `Refused`, whose message names where in the document the
value was (`target.selector.start`), and costs time in proportion to the document.
"""

from __future__ import annotations

import json
import math
from typing import Any

# Every document the app reads (a note, a link, an exported collection) is a few levels
# deep; the Web Annotation export, the deepest, uses 7.
MAX_DEPTH = 32
# As many digits as Python converts to an integer without its own refusal; any id or
# version is far shorter.
MAX_DIGITS = 4300


class Refused(ValueError):
    """JSON the app does not take; the message says what and where."""


class _Rejected:
    """A number the parser met that the app does not take, kept until its place is known."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _number(text: str) -> float | _Rejected:
    value = float(text)
    return value if math.isfinite(value) else _Rejected(text)


def _integer(text: str) -> int | _Rejected:
    return int(text) if len(text.lstrip("-")) <= MAX_DIGITS else _Rejected(text)


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The document, or `Refused`. Undecodable bytes raise UnicodeDecodeError and malformed
    JSON json.JSONDecodeError, as `json.loads` does."""
    try:
        doc = json.loads(data, parse_constant=_Rejected, parse_float=_number, parse_int=_integer)
    except RecursionError:
        raise Refused(f"JSON nested deeper than {max_depth} levels") from None
    _check(doc, max_depth)
    return doc


def _check(doc: Any, max_depth: int) -> None:
    """Walk the document once (without recursion: its depth is not known yet)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict | list) and len(path) >= max_depth:
            raise Refused(f"JSON nested deeper than {max_depth} levels")
        if isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    raise Refused(f"{_where(path)}: the key {_shown(key)} is not valid Unicode")
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            if _has_surrogate(value):
                raise Refused(
                    f"{_where(path)}: not valid Unicode (a lone surrogate, as in {_shown(value)})"
                )
        elif isinstance(value, _Rejected):
            raise Refused(f"{_where(path)}: {_rejected_number(value.text)}")


def _rejected_number(text: str) -> str:
    if len(text.lstrip("-")) > MAX_DIGITS:
        return f"a number of more than {MAX_DIGITS} digits is not accepted"
    return f"{text[:40]} is not a finite number (NaN, Infinity, numbers past 1.8e308 are refused)"


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(text: str) -> str:
    """A short, printable excerpt of refused text (surrogates as \\udXXX escapes)."""
    return repr(text[:60].encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace"))


def _where(path: tuple[str | int, ...]) -> str:
    """`target.selector.start`, `tags.3`; the document itself is `body`."""
    if not path:
        return "body"
    return ".".join("?" if isinstance(p, str) and _has_surrogate(p) else str(p) for p in path)
