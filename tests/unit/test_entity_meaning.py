"""Entities that mean what they say: news agencies and datelines are organisations, a first
name alone is the person named in full, and the headline and byline are read for names."""

from __future__ import annotations

from app.extract.entities import extract_entities
from app.extract.pipeline import extract
from app.ingest import read_document


def labels(text: str) -> dict[str, str]:
    return {m.text: m.label for m in extract_entities(text, [(0, len(text))])}


def test_news_agencies_in_datelines_are_organisations() -> None:
    found = labels("BEIJING, Feb. 9 (Xinhua) -- Prices rose, UPI and AP reported on Friday.")
    assert (found["Xinhua"], found["UPI"], found["AP"]) == ("ORG", "ORG", "ORG")


def test_a_first_name_alone_is_the_person_named_in_full() -> None:
    text = (
        "Natasha Lindstaedt teaches at the University of Essex. Natasha said the war would be long."
    )
    found = {m.text: m.name for m in extract_entities(text, [(0, len(text))])}
    assert found["Natasha"] == "Natasha Lindstaedt"


def test_the_headline_and_the_byline_are_read_for_entities() -> None:
    text = (
        "Putin talks of nukes as Kremlin mobilizes\n\n"
        "By Natasha Lindstaedt\n\n"
        "Russia announced a partial mobilisation on Wednesday, officials in Moscow said."
    )
    draft = read_document("a.txt", text.encode())
    names = {m.text for m in extract(draft).entities}
    assert {"Putin", "Natasha Lindstaedt"} <= names
