"""Raw bytes → clean Unicode text, or an IngestError that says why not."""

from __future__ import annotations

import math
import unicodedata

from app.ingest.model import MAX_BYTES, MIB, IngestError

_BOM = "\ufeff"
# C0 controls that never occur in prose; tab, LF, CR and form feed do.
_CONTROL = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r", "\f"}


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        shown = math.ceil(size * 10 / MIB) / 10  # round up so 5 MiB + 1 byte never reads "5.0"
        raise IngestError(f"file is {shown:.1f} MiB; the limit is {MAX_BYTES // MIB} MiB")


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 input, refusing empty, oversize, binary and non-UTF-8 files."""
    if not data:
        raise IngestError("file is empty")
    check_size(len(data))
    if b"\x00" in data:
        raise IngestError("binary file (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_control(data[:4096].decode("latin-1")):
            raise IngestError("binary file (mostly non-text bytes)") from None
        bad = data[exc.start]
        raise IngestError(
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start}); save the file as UTF-8"
        ) from None
    check_not_binary(text)
    return text


def check_not_binary(text: str) -> None:
    if "\x00" in text:
        raise IngestError("binary file (NUL bytes)")
    if _mostly_control(text[:4096]):
        raise IngestError("binary file (mostly control characters)")


def _mostly_control(sample: str) -> bool:
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch in _CONTROL or "\x7f" <= ch <= "\x9f")
    return controls / len(sample) > 0.1


def normalize_text(text: str) -> str:
    """BOM off, LF line ends, NFC, no trailing whitespace per line or trailing blank lines.

    Leading blank lines go too: they carry no structure and would only shift offsets.
    """
    if text.startswith(_BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def require_text(text: str) -> str:
    if not text.strip():
        raise IngestError("no readable text (only whitespace)")
    return text
