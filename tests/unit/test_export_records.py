"""A fixed, hand-built annotated set (used by every export unit test and the golden files),
and the records' IRIs."""

from __future__ import annotations

from app.export.records import verdicts_by_claim
from tests.factories import sample_export


def test_an_annotation_made_here_has_an_iri_that_does_not_change() -> None:
    export = sample_export()
    first = export.note(1)
    assert first is not None
    again = sample_export().note(1)
    assert again is not None and first.iri == again.iri
    assert first.iri.startswith("urn:uuid:")
    # Another annotation (or the same number in another database, made at another moment)
    # gets another IRI.
    assert first.iri != export.note(2).iri  # type: ignore[union-attr]


def test_an_imported_annotation_keeps_the_iri_it_came_with() -> None:
    note = sample_export().note(50)
    assert note is not None
    assert note.iri == "urn:uuid:00000000-0000-4000-8000-000000000050"


def test_article_iri_is_its_content_hash() -> None:
    export = sample_export()
    assert export.article(1).iri == "urn:readingroom:article:" + "a" * 64  # type: ignore[union-attr]


def test_each_claim_has_each_analysts_standing_verdict() -> None:
    found = verdicts_by_claim(sample_export().verdicts)
    assert {who: v.verdict for who, v in found[10].items()} == {
        "Ana": "disputed",
        "Ben": "unverified",
    }
    assert {who: v.verdict for who, v in found[11].items()} == {"Ana": "false"}
    assert 99 not in found
