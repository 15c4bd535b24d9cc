"""Import of W3C Web Annotation documents: a round trip into another reading room with the
same articles gives the same annotations back, twice adds nothing, a bad document writes
nothing, and annotations are placed again by their selectors."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from app.config import Settings
from app.db import create_db_engine, read_session, write_session
from app.export import webannotation
from app.filters import ExportFilter
from app.models import Annotation, Article, Link, StandingVerdict
from app.services import exports, interchange
from app.services.errors import Invalid
from tests.factories import NOW, Databases, Dataset, build_dataset, make_settings, validate_wa

COLLECTION = "urn:readingroom:export:test"


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def other(tmp_path: Path, databases: Databases) -> Iterator[Engine]:
    """Another reading room with the same five articles and no annotations."""
    folder = tmp_path / "other"
    folder.mkdir()
    engine = create_db_engine(make_settings(folder, databases.seeded(folder)).sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def data(engine: Engine) -> Dataset:
    return build_dataset(engine)


def export_doc(engine: Engine, **params: Any) -> Any:
    with read_session(engine) as s:
        export = exports.gather(s, ExportFilter.from_params(params), exported_by="Ana", now=NOW)
    return webannotation.to_document(export, COLLECTION)


def import_doc(engine: Engine, doc: Any, analyst: str = "Importer") -> interchange.ImportReport:
    with write_session(engine) as s:
        return interchange.import_document(s, doc, analyst)


def counts(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as s:
        return (
            s.exec(select(func.count()).select_from(Annotation)).one(),
            s.exec(select(func.count()).select_from(Link)).one(),
        )


def items(doc: Any) -> list[dict]:
    return sorted(doc["first"]["items"], key=lambda i: i["id"]) if "first" in doc else []


def test_round_trip_gives_the_same_annotations(
    engine: Engine, other: Engine, data: Dataset
) -> None:
    exported = export_doc(engine)
    assert all(r.ok for r in validate_wa().validate_document(exported))
    report = import_doc(other, exported)
    assert (report.annotations, report.verdicts, report.links, report.skipped) == (6, 4, 2, [])
    again = export_doc(other)
    assert items(again) == items(exported)
    assert again["total"] == exported["total"] == 12


def test_importing_twice_adds_nothing(engine: Engine, other: Engine, data: Dataset) -> None:
    doc = export_doc(engine)
    import_doc(other, doc)
    before = counts(other)
    report = import_doc(other, doc)
    assert (report.annotations, report.verdicts, report.links) == (0, 0, 0)
    assert report.already_present == 12
    assert counts(other) == before


def test_a_reading_room_recognises_its_own_annotations(engine: Engine, data: Dataset) -> None:
    before = counts(engine)
    report = import_doc(engine, export_doc(engine))
    assert report.annotations == report.links == 0
    assert counts(engine) == before


def test_what_is_restored(engine: Engine, other: Engine, data: Dataset) -> None:
    import_doc(other, export_doc(engine))
    with read_session(engine) as a, read_session(other) as b:
        mine = {
            x.body: x
            for x in a.exec(select(Annotation).where(col(Annotation.deleted_at).is_(None)))
        }
        theirs = {x.body: x for x in b.exec(select(Annotation))}
        assert set(theirs) == set(mine)
        for body, x in theirs.items():
            y = mine[body]
            assert (x.claim_id, x.start, x.end, x.tags, x.verdict, x.analyst) == (
                y.claim_id, y.start, y.end, y.tags, y.verdict, y.analyst,
            )  # fmt: skip
            assert x.created_at == y.created_at.replace(microsecond=0)
            assert x.external_id and x.anchor_status == "anchored"
        reply = theirs[mine[next(b for b in mine if b.startswith("The MoD"))].body]
        assert theirs_parent(b, reply).body.startswith("# Source?")
        relations = sorted(k.relation for k in b.exec(select(Link)))
        # Restored: the analyst's two links, and the citation the reply makes again.
        assert relations == ["contradicts", "related", "related"]
        # and each analyst's standing verdict, since the moment it was set
        assert standing(a) == standing(b) and len(standing(a)) == 4


def standing(session: Any) -> set[tuple[Any, ...]]:
    rows = session.exec(select(StandingVerdict)).all()
    return {(v.claim_id, v.analyst, v.verdict, v.at.replace(microsecond=0)) for v in rows}


def test_verdicts_on_notes_from_an_older_export_become_standing_verdicts(
    engine: Engine, other: Engine, data: Dataset
) -> None:
    """Before standing verdicts, a note on a claim carried its verdict as an `assessing`
    body: importing one sets its creator's standing verdict, and the note keeps its words
    (a note that held only the verdict makes no annotation)."""
    doc = copy.deepcopy(export_doc(engine, status="corroborated"))
    note, verdict = [i for i in doc["first"]["items"] if i["motivation"] != "linking"]
    assert (note["motivation"], verdict["motivation"]) == ("tagging", "assessing")
    note["body"] = [note["body"], verdict["body"]]  # as the older version wrote it
    doc["first"]["items"].remove(verdict)
    doc["total"] -= 1
    report = import_doc(other, doc)
    assert (report.annotations, report.verdicts) == (1, 1)
    with read_session(other) as s:
        assert {v.verdict for v in s.exec(select(StandingVerdict))} == {"corroborated"}
        assert s.exec(select(Annotation)).one().verdict is None


def theirs_parent(session: Any, reply: Annotation) -> Annotation:
    parent = session.get(Annotation, reply.reply_to_id)
    assert parent is not None
    return parent  # type: ignore[no-any-return]


def test_annotations_are_placed_again_when_the_text_moved(
    engine: Engine, other: Engine, data: Dataset
) -> None:
    with write_session(other) as s:
        article = s.exec(select(Article).where(col(Article.text).contains("doubled the pay"))).one()
        s.exec(  # type: ignore[call-overload]
            update(Article)
            .where(col(Article.id) == article.id)
            .values(text="Editor's note: this story was updated.\n\n" + article.text)
        )
    report = import_doc(other, export_doc(engine, tag="recruitment"))
    # The article's claims were not extracted again, so a link to one of them cannot be
    # placed: it is reported, not guessed.
    assert report.skipped and all("its target is not a claim" in r for r in report.skipped)
    with read_session(other) as s:
        note = s.exec(select(Annotation).where(Annotation.body == "By how much?")).one()
        text = s.get(Article, note.article_id).text  # type: ignore[union-attr]
        assert note.anchor_status == "moved"
        assert text[note.start : note.end] == "doubled the pay"  # type: ignore[misc]


def test_an_article_is_found_by_its_file_when_its_bytes_differ(
    engine: Engine, other: Engine, data: Dataset
) -> None:
    with write_session(other) as s:
        s.exec(update(Article).values(content_hash="0" * 64))  # type: ignore[call-overload]
    report = import_doc(other, export_doc(engine))
    assert report.annotations == 6 and report.orphans == 0


def test_words_that_are_gone_make_an_orphan(engine: Engine, other: Engine, data: Dataset) -> None:
    with write_session(other) as s:
        article = s.exec(select(Article).where(col(Article.text).contains("doubled the pay"))).one()
        article.text = article.text.replace("A week ago, the Kremlin doubled the pay", "")
        s.add(article)
    report = import_doc(other, export_doc(engine, tag="recruitment"))
    assert report.orphans == 1
    with read_session(other) as s:
        orphan = s.exec(select(Annotation).where(Annotation.anchor_status == "orphan")).one()
        assert (orphan.exact, orphan.start, orphan.body) == (
            "doubled the pay",
            None,
            "By how much?",
        )


def test_a_missing_article_refuses_the_whole_import(
    engine: Engine, other: Engine, data: Dataset
) -> None:
    with write_session(other) as s:
        s.exec(update(Article).values(content_hash="0" * 64, source_file=None))  # type: ignore[call-overload]
    with pytest.raises(Invalid, match=r"articles are not in this reading room \(000_772"):
        import_doc(other, export_doc(engine))
    assert counts(other) == (0, 0)


def test_a_bad_item_at_the_end_writes_nothing(engine: Engine, other: Engine, data: Dataset) -> None:
    doc = copy.deepcopy(export_doc(engine))
    last_note = [i for i in doc["first"]["items"] if i["motivation"] != "linking"][-1]
    last_note["body"] = {"type": "TextualBody", "purpose": "tagging", "value": "x" * 500}
    with pytest.raises(Invalid, match="tags.0: String should have at most 60 characters"):
        import_doc(other, doc)
    assert counts(other) == (0, 0)


@pytest.mark.parametrize(
    ("data_bytes", "message"),
    [
        (b"", "the document is empty"),
        (b"{not json", "the document is not JSON"),
        (b"\xff\xfe", "the document is not JSON"),
    ],
)
def test_bytes_that_are_not_a_document(data_bytes: bytes, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        interchange.load_json(data_bytes)


def test_an_empty_collection_is_refused(other: Engine) -> None:
    doc = {"@context": webannotation.CONTEXT, "id": COLLECTION, "type": "AnnotationCollection",
           "total": 0}  # fmt: skip
    with pytest.raises(Invalid, match="holds no annotations"):
        import_doc(other, doc)
