"""How each analyst reads: the reading mode they chose and the colours they gave tags."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import ReadingPreference, TagColour
from app.vocab import DEFAULT_READING_MODE, READING_MODES


def reading_mode(session: Session, analyst: str | None) -> str:
    found = session.get(ReadingPreference, analyst) if analyst else None
    return found.mode if found is not None and found.mode in READING_MODES else DEFAULT_READING_MODE


def tag_colours(session: Session, analyst: str | None) -> dict[str, str]:
    """{tag: colour} the analyst chose, in tag order."""
    if not analyst:
        return {}
    rows = session.exec(
        select(TagColour.tag, TagColour.colour)
        .where(TagColour.analyst == analyst)
        .order_by(col(TagColour.tag))
    ).all()
    return dict(rows)
