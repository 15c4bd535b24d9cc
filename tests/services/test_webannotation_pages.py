"""The Web Annotation export read a page at a time: every page, the collection and the whole
document (streamed) are those of the set gathered whole, whatever the page size; memory
stays flat as the set grows (measured by the bytes allocated at the peak, not by timing)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.db import read_session
from app.export import webannotation
from app.export.jsonbytes import json_bytes
from app.filters import ExportFilter
from app.services import exports
from app.services.webannotation_pages import Pages, streamed
from tests.factories import build_dataset
from tests.services.test_export_stream import NOW, growth

ID = "http://127.0.0.1/api/export.jsonld"


def gathered(engine: sa.Engine, f: ExportFilter) -> exports.ExportSet:
    with read_session(engine) as session:
        return exports.gather(session, f, exported_by="Ana", now=NOW, neighbours=False)


def test_pages_of_any_size_are_those_of_the_whole_set(client: TestClient) -> None:
    """The seeds with notes, replies, links (a citation's among them), verdicts and
    corrections: replies whose parents sit on another page, links to notes on other pages."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    build_dataset(engine)
    nepal = client.get("/api/entities", params={"q": "Nepal"}).json()[0]
    claim = next(c for c in client.get("/api/claims").json() if c["attribution"])
    for body in ({"kind": "entity_label", "entity_id": nepal["id"], "value": "GPE"},
                 {"kind": "claim_attribution", "claim_id": claim["id"],
                  "value": {"text": "The ministry"}}):  # fmt: skip
        made = client.post("/api/corrections", json={"analyst": "Ben", **body})
        assert made.status_code == 201, made.text
    for f in (ExportFilter(), ExportFilter.from_params({"q": "soldiers"})):
        export = gathered(engine, f)
        motivations = {i["motivation"] for i in webannotation.items(export)}
        assert {"commenting", "replying", "assessing", "linking", "editing"} <= motivations or f.q
        for page_size in (1, 2, 3, 7, 1_000):
            expected = webannotation.to_document(export, ID, page_size=page_size)
            text = b"".join(streamed(engine, f, exported_by="Ana", collection_id=ID,
                                     page_size=page_size, now=NOW))  # fmt: skip
            assert text == json_bytes(expected), (f, page_size)
            with read_session(engine) as session:
                pages = Pages(session, f, exported_by="Ana", at=NOW)
                assert pages.collection(ID, page_size) == webannotation.to_collection(
                    export, ID, page_size=page_size
                )
                last = webannotation.page_count(pages.total, page_size) - 1
                assert pages.page(ID, last, page_size) == webannotation.page(
                    export, ID, last, page_size=page_size
                )


def test_the_download_is_streamed_and_reads_back(client: TestClient) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    build_dataset(engine)
    r = client.get("/api/export.jsonld", params={"download": "true", "page_size": 2})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    doc = json.loads(r.content)
    assert isinstance(doc, list) and doc[0]["type"] == "AnnotationCollection"
    assert sum(len(p.get("first", p)["items"]) for p in doc) == doc[0]["total"]
    assert client.get("/api/export.jsonld", params={"page": 99}).status_code == 422


def test_memory_grows_by_the_outline_alone(client: TestClient) -> None:
    """Four times the claims and notes: the whole document written page by page grows by
    its outline only, the document gathered whole (the control) by every record."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    tagged = ExportFilter.from_params({"tag": "mass"})

    def drain() -> None:
        for _piece in streamed(engine, tagged, exported_by="Ana", collection_id=ID,
                               page_size=100):  # fmt: skip
            pass

    def whole() -> None:
        json_bytes(webannotation.to_document(gathered(engine, tagged), ID, page_size=100))

    streamed_growth, whole_growth = growth(engine, drain, whole)
    assert whole_growth > 900 * 4_000  # the measure sees records held whole
    assert streamed_growth < whole_growth / 3, (streamed_growth, whole_growth)
