"""Changing how an analyst reads: their reading mode, and the colour of a topic tag."""

from __future__ import annotations

from sqlmodel import Session

from app.annotation_rules import clean_tags
from app.models import ReadingPreference, TagColour, utcnow
from app.schemas import MAX_TAG_CHARS
from app.services.errors import Invalid
from app.vocab import READING_MODES, TAG_COLOURS


def set_reading_mode(session: Session, analyst: str, mode: str) -> None:
    if mode not in READING_MODES:
        raise Invalid(f"mode: {mode!r} is not one of {', '.join(READING_MODES)}")
    found = session.get(ReadingPreference, analyst) or ReadingPreference(analyst=analyst, mode=mode)
    found.mode, found.updated_at = mode, utcnow()
    session.add(found)


def set_tag_colour(session: Session, analyst: str, tag: str, colour: str | None) -> str:
    """The tag (as stored) gets `colour`, or none when `colour` is empty; the tag."""
    cleaned = clean_tags([tag])
    if not cleaned or not cleaned[0] or len(cleaned[0]) > MAX_TAG_CHARS:
        raise Invalid(f"tag: a topic tag of 1 to {MAX_TAG_CHARS} characters")
    name = cleaned[0]
    if colour and colour not in TAG_COLOURS:
        raise Invalid(f"colour: {colour!r} is not one of {', '.join(TAG_COLOURS)}")
    found = session.get(TagColour, (analyst, name))
    if not colour:
        if found is not None:
            session.delete(found)
        return name
    found = found or TagColour(analyst=analyst, tag=name, colour=colour)
    found.colour, found.updated_at = colour, utcnow()
    session.add(found)
    return name
