"""The Markdown export written in parts while it is gathered: the same bytes as the document
of the set gathered whole, whatever the part size, and memory that stays flat as the set
grows (measured by counting the bytes allocated at the peak, not by timing)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.db import read_session, write_session
from app.export.markdown import to_markdown
from app.filters import ExportFilter
from app.models import Annotation, AnnotationTag, Article, Claim, StandingVerdict
from app.services import exports
from tests.factories import build_dataset

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def whole(engine: sa.Engine, f: ExportFilter, group: exports.Grouping) -> str:
    with read_session(engine) as session:
        return to_markdown(exports.gather(session, f, exported_by="Ana", now=NOW), group=group)


def streamed(engine: sa.Engine, f: ExportFilter, group: exports.Grouping, part_size: int) -> str:
    pieces = exports.markdown(
        engine, f, exported_by="Ana", group=group, now=NOW, part_size=part_size
    )
    return "".join(pieces)


@pytest.mark.parametrize("group", ["cluster", "article"])
def test_parts_of_any_size_write_the_document_of_the_whole_set(
    client: TestClient, group: exports.Grouping
) -> None:
    """The seeds with analysts' notes, replies, links, verdicts and a corrected attribution:
    clusters, notes on passages and references that cross from one part to another."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    build_dataset(engine)
    claim = next(c for c in client.get("/api/claims").json() if c["attribution"])
    fixed = client.post("/api/corrections", json={"analyst": "Ben", "kind": "claim_attribution",
                        "claim_id": claim["id"], "value": {"text": "The ministry"}})  # fmt: skip
    assert fixed.status_code == 201, fixed.text
    everything = ExportFilter()
    expected = whole(engine, everything, group)
    assert "## Notes on passages" in expected or group == "article"
    assert "Same claim: [Claim" in expected and "#### Notes" in expected
    assert "Attributed to: The ministry — attribution corrected by Ben" in expected
    for part_size in (1, 2, 5, 1_000):
        assert streamed(engine, everything, group, part_size) == expected, part_size
    chosen = ExportFilter.from_params({"q": "soldiers"})
    assert streamed(engine, chosen, group, 2) == whole(engine, chosen, group)


def test_an_unknown_collection_is_refused_before_the_document_starts(
    client: TestClient,
) -> None:
    response = client.get("/api/export.md", params={"collection": "no-such-collection"})
    assert response.status_code == 404
    assert "collection" in response.json()["detail"]


def _add_claims(engine: sa.Engine, first: int, count: int) -> None:
    """`count` articles of one claim each, every claim with a note and a verdict: a set
    of many records of some size (the note is a paragraph long)."""
    body = "A note of an analyst on the figure, with its reasons. " * 8
    with write_session(engine) as session:
        for i in range(first, first + count):
            text = f"Officials said {i} soldiers were recruited in the month of record {i}."
            article = Article(slug=f"mass-{i}", title=f"Mass article {i}",
                              source_file=f"mass_{i:05d}.txt", content_hash=f"{i:064x}",
                              text=text, word_count=12, extracted=True)  # fmt: skip
            session.add(article)
            session.flush()
            claim = Claim(article_id=article.id, start=0, end=len(text), text=text,  # type: ignore[arg-type]
                          kind="statement", fingerprint=f"mass-{i}")  # fmt: skip
            session.add(claim)
            session.flush()
            note = Annotation(article_id=article.id, claim_id=claim.id, analyst="Ana",  # type: ignore[arg-type]
                              body=body, exact=text, start=0, end=len(text), tags=["mass"],
                              created_at=NOW, modified_at=NOW)  # fmt: skip
            session.add(note)
            session.flush()
            session.add(AnnotationTag(annotation_id=note.id, tag="mass"))  # type: ignore[arg-type]
            session.add(StandingVerdict(claim_id=claim.id, analyst="Ana", verdict="supported",  # type: ignore[arg-type]
                                        at=NOW))  # fmt: skip


def _peak(write: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def growth(
    engine: sa.Engine, streamed: Callable[[], object], whole: Callable[[], object]
) -> tuple[int, int]:
    """How much the peak of each way of writing the document grows from 300 to 1,200
    claims (each with a note and a verdict)."""
    peaks: dict[int, tuple[int, int]] = {}
    added = 0
    for size in (300, 1_200):
        _add_claims(engine, added, size - added)
        added = size
        streamed()  # caches warmed (statements compiled, entities' labels)
        peaks[size] = (_peak(streamed), _peak(whole))
    (small_streamed, small_whole), (large_streamed, large_whole) = peaks[300], peaks[1_200]
    return large_streamed - small_streamed, large_whole - small_whole


def test_memory_grows_by_the_outline_alone(client: TestClient) -> None:
    """Four times the claims and notes: the records are read a part at a time, so what grows
    is the outline (ids and places, about a kilobyte a claim with its note, 2 at most),
    while the document gathered whole, as a control, grows by every record's text."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    tagged = ExportFilter.from_params({"tag": "mass"})

    def drain() -> None:
        for _piece in exports.markdown(engine, tagged, exported_by="Ana", part_size=100):
            pass

    streamed_growth, whole_growth = growth(engine, drain, lambda: whole(engine, tagged, "cluster"))
    assert whole_growth > 900 * 4_000  # the measure sees records held whole
    assert streamed_growth < 900 * 2_000
    assert streamed_growth < whole_growth / 3
