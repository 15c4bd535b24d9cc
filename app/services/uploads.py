"""The uploads folder: uploaded files kept as their articles' source files.

A file is stored under a name made from its content (its SHA-256, as the article's
`content_hash`, and the extension of its format), so nothing a client sends as a name
reaches the file system: not a path, a control character, a name longer than the file
system allows. The name it came under is kept as metadata (`display_name`), and that is
what the library shows."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.ingest import FORMATS

MAX_NAME_CHARS = 255


def display_name(raw: str) -> str:
    """The name a file was uploaded under, as metadata: printable characters only, spaces
    collapsed, at most MAX_NAME_CHARS characters with its extension kept."""
    name = " ".join("".join(c for c in raw if c.isprintable()).split())
    stem, ext = os.path.splitext(name)
    if len(ext) > 16:  # not an extension, only a dot in a long name
        stem, ext = name, ""
    stem = stem.strip() or "upload"
    return stem[: MAX_NAME_CHARS - len(ext)].rstrip() + ext


def path_of(folder: Path, content_hash: str, name: str) -> Path:
    """Where the bytes with this SHA-256, uploaded as `name`, are kept."""
    ext = os.path.splitext(name)[1].lower()
    return folder / (content_hash + (ext if ext in FORMATS else ".bin"))


def keep(folder: Path, data: bytes, name: str) -> Path:
    """Write the bytes under their stored name (atomically: a reader never sees half a
    file) and return the path."""
    return _write(path_of(folder, hashlib.sha256(data).hexdigest(), name), data)


def keep_pending(folder: Path, data: bytes) -> Path:
    """Pasted text kept until its job has stored it (then discarded: pasted text has no
    source file)."""
    return _write(folder / f"{hashlib.sha256(data).hexdigest()}.pasted.txt", data)


def _write(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)
