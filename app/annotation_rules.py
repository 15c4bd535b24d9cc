"""What an annotation must hold, whoever writes it (the pages, the API, an import)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

NEEDS_CONTENT = "an annotation needs a note, a verdict or a tag"


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Topic tags as stored: spaces collapsed, lower case, each once, in the order given."""
    return list(dict.fromkeys(" ".join(t.split()).lower() for t in tags))


def has_content(body: str, verdict: str | None, tags: Sequence[str]) -> bool:
    """An annotation says something: a note, a verdict or at least one tag."""
    return bool(body.strip()) or verdict is not None or bool(tags)
