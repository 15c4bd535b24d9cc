"""A fixed, hand-built annotated set (used by every export unit test and the golden files),
and the records' IRIs."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.anchoring import make_selector
from app.export.records import (
    ArticleRecord,
    ClaimRecord,
    ClaimRef,
    ExportSet,
    FigureRecord,
    LinkEnd,
    LinkRecord,
    NoteRecord,
    NoteRef,
    latest_verdicts,
)

CONFORMANCE = Path(__file__).resolve().parents[1] / "conformance"


def validate_wa() -> Any:
    """The W3C Web Annotation validator copied into tests/conformance."""
    if str(CONFORMANCE) not in sys.path:
        sys.path.insert(0, str(CONFORMANCE))
    import validate_wa as module

    return module


T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


TEXT_A = (
    "Recruitment drive stalls\n\n"
    "According to Western estimates, Russia recruits 20,000 soldiers every month. "
    "Officials deny it.\n\n"
    "The ministry says 30,000 signed up in May."
)
TEXT_B = (
    "Rewrite of the drive story\n\n"
    "Russia is recruiting 20,000 soldiers each month, Western estimates suggest. "
    "Pay rose sharply."
)
TEXTS = {1: TEXT_A, 2: TEXT_B}

NASTY_NOTE = (
    "# Heading in a note\n"
    "<script>alert(1)</script> and </details> and <img src=x onerror=alert(1)>\n"
    "---\n"
    "```\n"
    "an unbalanced fence"
)


def _claim_ref(claim_id: int, article_id: int, words: str) -> dict[str, Any]:
    text = TEXTS[article_id]
    start = text.index(words)
    sel = make_selector(text, start, start + len(words))
    return {
        "id": claim_id,
        "article_id": article_id,
        "text": words,
        "start": sel.start,
        "end": sel.end,
        "prefix": sel.prefix,
        "suffix": sel.suffix,
    }


def _note(note_id: int, article_id: int, words: str | None, **kw: Any) -> NoteRecord:
    text = TEXTS[article_id]
    if words is None:  # an orphan: its words are no longer in the text
        return NoteRecord(
            id=note_id,
            article_id=article_id,
            exact="vanished words",
            prefix="before ",
            suffix=" after",
            anchor_status="orphan",
            **kw,
        )
    start = text.index(words)
    sel = make_selector(text, start, start + len(words))
    return NoteRecord(
        id=note_id,
        article_id=article_id,
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        start=sel.start,
        end=sel.end,
        **kw,
    )


C10 = "According to Western estimates, Russia recruits 20,000 soldiers every month."
C11 = "The ministry says 30,000 signed up in May."
C12 = "Russia is recruiting 20,000 soldiers each month, Western estimates suggest."
C99 = "Pay rose sharply."


def sample_export() -> ExportSet:
    article_a = ArticleRecord(1, "recruitment-drive-stalls", "Recruitment drive stalls",
                              "Daily Example", "Jo Writer", "a_1.txt", "a" * 64)  # fmt: skip
    article_b = ArticleRecord(2, "rewrite", "Rewrite of the drive story", None, None, "b.txt",
                              "b" * 64, origin_id=1)  # fmt: skip
    recruits = FigureRecord("20,000 soldiers", 20000.0, 20000.0, 20000.0, "soldier", "month")
    claims = (
        ClaimRecord(
            **_claim_ref(10, 1, C10),
            kind="statistic",
            paragraph=1,
            attribution="Western estimates",
            attribution_label="NORP",
            figures=(recruits,),
            cluster=(12,),
            conflicts=((11, "20,000 vs 30,000 (soldier per month)"),),
            article_count=2,
            independent_sources=1,
        ),
        ClaimRecord(
            **_claim_ref(11, 1, C11),
            kind="statistic",
            paragraph=2,
            attribution="The ministry",
            attribution_context="Ministry of Defence",
            attribution_label="ORG",
            figures=(FigureRecord("30,000", 30000.0, 30000.0, 30000.0, None, None),),
            conflicts=((10, "20,000 vs 30,000 (soldier per month)"),),
        ),
        ClaimRecord(
            **_claim_ref(12, 2, C12),
            kind="statistic",
            paragraph=1,
            attribution="Western estimates",
            figures=(recruits,),
            cluster=(10,),
            article_count=2,
            independent_sources=1,
        ),
    )
    notes = (
        _note(1, 1, C10, claim_id=10, analyst="Ana", created=at(0), modified=at(50),
              body=NASTY_NOTE, verdict="disputed", tags=("recruitment", "casualties")),
        _note(2, 1, C10, claim_id=10, analyst="Ben", created=at(1), modified=at(1),
              reply_to=1, body="Agree: see [the MoD](https://www.gov.uk/mod) and "
              "[this](javascript:alert(1)). claim:11"),
        _note(3, 1, C10, claim_id=10, analyst="Ben", created=at(2), modified=at(2),
              verdict="unverified"),
        _note(4, 2, C12, claim_id=12, analyst="Ana", created=at(3), modified=at(3),
              body="</details>\n\nSame figure, copied.\n\n# Claim 10", verdict="disputed"),
        _note(5, 1, "Officials deny it.", claim_id=None, analyst="Ana", created=at(4),
              modified=at(4), body="Which *officials*?", tags=("sourcing",)),
        _note(6, 2, None, claim_id=None, analyst="Ben", created=at(5), modified=at(5),
              body="Gone after the update."),
        _note(7, 1, C11, claim_id=11, analyst="Ana", created=at(6), modified=at(6),
              verdict="false"),
    )  # fmt: skip
    links = (
        LinkRecord(1, "contradicts", LinkEnd("claim", 10), LinkEnd("claim", 11), "Ana", at(7),
                   note="20k vs 30k"),
        LinkRecord(2, "related", LinkEnd("annotation", 4), LinkEnd("claim", 99), "Ana", at(8),
                   origin="citation"),
        LinkRecord(3, "same_claim", LinkEnd("claim", 12), LinkEnd("claim", 10), "Ben", at(9),
                   origin="suggestion"),
        LinkRecord(4, "corroborates", LinkEnd("annotation", 5), LinkEnd("annotation", 50),
                   "Ben", at(10)),
        LinkRecord(5, "related", LinkEnd("claim", 12), LinkEnd("claim", 99), "Ana", at(11)),
    )  # fmt: skip
    return ExportSet(
        title="Reading room export: recruitment",
        filters=(("collection", "recruitment"),),
        exported_at=datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
        exported_by="Ana",
        articles=(article_a, article_b),
        claims=claims,
        notes=notes,
        links=links,
        other_claims=(ClaimRef(**_claim_ref(99, 2, C99)),),
        other_notes=(
            NoteRef(
                50,
                2,
                None,
                "Cy",
                at(-5),
                exact="Rewrite of the drive story",
                external_id="urn:uuid:00000000-0000-4000-8000-000000000050",
            ),
        ),  # fmt: skip
    )


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


def test_latest_verdict_per_analyst_wins() -> None:
    notes = sample_export().notes
    latest = latest_verdicts(notes)
    assert {who: n.verdict for who, n in latest[10].items()} == {
        "Ana": "disputed",
        "Ben": "unverified",
    }
    assert {who: n.verdict for who, n in latest[11].items()} == {"Ana": "false"}
    assert 99 not in latest
