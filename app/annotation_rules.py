"""What an annotation must hold, whoever writes it (the pages, the API, an import)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

NEEDS_CONTENT = "an annotation needs a note, a verdict or a tag"
MAX_ANALYST_CHARS = 80


def analyst_name(raw: str) -> str:
    """An analyst's name as stored and shown, from a form, a header, a cookie or a file:
    printable characters only (no control or format characters, no lone surrogates),
    spaces collapsed, at most MAX_ANALYST_CHARS characters. Empty if nothing is left."""
    kept = "".join(c if c.isprintable() else " " for c in raw)
    return " ".join(kept.split())[:MAX_ANALYST_CHARS].rstrip()


def verdict_on_claim(claim_id: int) -> str:
    """Why an annotation on a claim may not carry a verdict, and what to do instead."""
    return (
        f"verdict: a verdict on claim {claim_id} is the analyst's standing verdict on it; "
        f"set it with PUT /api/claims/{claim_id}/verdict (a note on a claim holds no verdict)"
    )


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Topic tags as stored: spaces collapsed, lower case, each once, in the order given."""
    return list(dict.fromkeys(" ".join(t.split()).lower() for t in tags))


def has_content(body: str, verdict: str | None, tags: Sequence[str]) -> bool:
    """An annotation says something: a note, a verdict or at least one tag."""
    return bool(body.strip()) or verdict is not None or bool(tags)
