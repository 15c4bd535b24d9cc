"""Hostile input, class by class: numbers, nesting, encodings, names, shapes and sizes.

Each refusal is a 4xx whose `detail` says what was wrong, and the stored articles,
annotations and uploaded files are exactly as they were. What each input may cost is
bounded by construction (a depth limit, a number of words), which the tests check by
looking at the limit, not at a clock. Property-based where the space is large: any JSON
document, any name, any query.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Settings
from app.db import read_session
from app.ingest import MAX_BYTES
from app.json_input import MAX_DEPTH
from app.main import MAX_REQUEST_BYTES, create_app
from app.schemas import MAX_NOTE_CHARS
from app.services import preferences, search
from app.words import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from tests.factories import refused, snapshot

# A fixture per test is fine: each Hypothesis example reuses it, and the property is that
# nothing changes, so examples cannot affect each other.
PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def collection(client: TestClient) -> dict:
    r = client.post("/api/collections", json={"name": "hostile"})
    assert r.status_code == 201, r.text
    return r.json()


def send_json(client: TestClient, method: str, url: str, raw: str) -> Any:
    return client.request(
        method, url, content=raw.encode("utf-8"), headers={"content-type": "application/json"}
    )


# --- numbers --------------------------------------------------------------------------------

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"]

# (method, path, a JSON body with {x} where the number goes, the field the refusal names)
NUMBER_BODIES = [
    ("POST", "/api/annotations", '{{"target": {{"claim_id": {x}}}, "body": "n"}}',
     "target.claim_id"),
    ("PATCH", "/api/annotations/{note}", '{{"version": {x}, "body": "n"}}', "version"),
    ("POST", "/api/links",
     '{{"source_claim_id": {claim}, "target_claim_id": {x}, "relation": "related"}}',
     "target_claim_id"),
    ("POST", "/api/collections", '{{"name": "n", "description": {x}}}', "description"),
    ("POST", "/api/collections/{collection}/items", '{{"claim_id": {x}}}', "claim_id"),
    ("POST", "/api/suggestions/1", '{{"decision": {x}}}', "decision"),
    ("PUT", "/api/claims/{claim}/verdict", '{{"verdict": "disputed", "analyst": {x}}}',
     "analyst"),
    ("POST", "/api/articles", '{{"text": "Words here.", "title": {x}}}', "title"),
    ("POST", "/api/import", '{{"type": "AnnotationCollection", "total": {x}}}', "total"),
]  # fmt: skip


@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    NUMBER_BODIES,
    ids=[f"{m} {p}" for m, p, _, _ in NUMBER_BODIES],
)
def test_non_finite_numbers_are_refused_naming_the_field(
    client: TestClient,
    settings: Settings,
    claim: dict,
    note: dict,
    collection: dict,
    method: str,
    path: str,
    body: str,
    field: str,
    number: str,
) -> None:
    names = {"claim": claim["id"], "note": note["id"], "collection": collection["id"]}
    before = snapshot(client, settings)
    url = path.format(**names)
    r = send_json(client, method, url, body.format(x=number, **names))
    refused(r, 422, field, number)
    assert snapshot(client, settings) == before


def _with_number_at(data: st.DataObject, doc: Any, number: str) -> tuple[str, str]:
    """The JSON text of `doc` with one value replaced by `number`, and that value's path."""
    path: list[str] = []
    node = doc
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        key = data.draw(
            st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
        )
        path.append(str(key))
        node = node[key]
    marker = "__NUMBER__"
    if not path:
        return number, "body"
    parent = doc
    for key in path[:-1]:
        parent = parent[key if isinstance(parent, dict) else int(key)]
    last = path[-1]
    parent[last if isinstance(parent, dict) else int(last)] = marker
    return json.dumps(doc).replace(f'"{marker}"', number), ".".join(path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@PROPERTY
@given(data=st.data(), doc=st.dictionaries(st.sampled_from(["body", "target", "tags", "x"]),
                                           JSON_VALUES, min_size=1, max_size=4),
       number=st.sampled_from(NON_FINITE))  # fmt: skip
def test_a_non_finite_number_anywhere_in_a_body_is_named(
    client: TestClient, settings: Settings, data: st.DataObject, doc: dict, number: str
) -> None:
    raw, where = _with_number_at(data, doc, number)
    before = snapshot(client, settings)
    for path in ("/api/annotations", "/api/links", "/api/collections", "/api/import"):
        r = send_json(client, "POST", path, raw)
        refused(r, 422, number)
        if where != "body":
            assert where in r.json()["detail"], (where, r.json()["detail"])
    assert snapshot(client, settings) == before


# --- nesting --------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 100_000])
@pytest.mark.parametrize("path", ["/api/import", "/api/annotations", "/api/articles"])
def test_deep_nesting_is_refused(
    client: TestClient, settings: Settings, path: str, depth: int
) -> None:
    before = snapshot(client, settings)
    deep = '{"a": ' * depth + "1" + "}" * depth
    refused(send_json(client, "POST", path, deep), 422, "nested", str(MAX_DEPTH))
    refused(send_json(client, "POST", path, "[" * depth + "]" * depth), 422, "nested")
    assert snapshot(client, settings) == before


def test_deep_nesting_is_refused_on_the_import_page(client: TestClient, settings: Settings) -> None:
    before = snapshot(client, settings)
    deep = ("[" * 5_000 + "]" * 5_000).encode()
    r = client.post(
        "/import", files={"file": ("deep.jsonld", deep)}, headers={"accept": "text/html"}
    )
    assert r.status_code == 422, r.text[:300]
    assert "nested deeper than" in r.text
    assert snapshot(client, settings) == before


def test_the_deepest_export_is_within_the_limit(client: TestClient, claim: dict) -> None:
    """The limit is no obstacle to what the app itself writes: a download of every note
    imports again (each already present)."""
    client.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "x"})
    doc = client.get("/api/export.jsonld?download=true").content
    r = client.post("/api/import", content=doc, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["already_present"] >= 1


# --- encodings ------------------------------------------------------------------------------


def test_a_lone_surrogate_in_an_imported_quote_is_refused(
    client: TestClient, settings: Settings, claim: dict
) -> None:
    made = client.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "q"})
    assert made.status_code == 201
    doc = json.loads(client.get("/api/export.jsonld?download=true").content)
    for item in doc["first"]["items"]:
        item["id"] += "-copy"
        for selector_ in item["target"]["selector"]:
            if selector_["type"] == "TextQuoteSelector":
                selector_["exact"] = "half \ud800 a character"
    before = snapshot(client, settings)
    raw = json.dumps(doc)  # ensure_ascii: the surrogate travels as the escape \ud800
    refused(send_json(client, "POST", "/api/import", raw), 422, "exact", "unicode")
    r = client.post("/import", files={"file": ("x.jsonld", raw.encode())},
                    headers={"accept": "text/html"})  # fmt: skip
    assert r.status_code == 422 and "Unicode" in r.text
    assert snapshot(client, settings) == before


@PROPERTY
@given(text=st.text(min_size=1, max_size=30), at=st.integers(0, 30),
       surrogate=st.integers(0xD800, 0xDFFF))  # fmt: skip
def test_a_lone_surrogate_anywhere_in_a_string_is_refused(
    client: TestClient, settings: Settings, claim: dict, text: str, at: int, surrogate: int
) -> None:
    escaped = json.dumps(text[:at])[1:-1] + f"\\u{surrogate:04x}" + json.dumps(text[at:])[1:-1]
    before = snapshot(client, settings)
    for field in ("body", "tags"):
        value = f'"{escaped}"' if field == "body" else f'["{escaped}"]'
        raw = f'{{"target": {{"claim_id": {claim["id"]}}}, "{field}": {value}}}'
        refused(send_json(client, "POST", "/api/annotations", raw), 422, field, "unicode")
    assert snapshot(client, settings) == before


def test_a_nul_character_is_refused_wherever_text_comes_in(
    client: TestClient, settings: Settings, claim: dict, note: dict
) -> None:
    """PostgreSQL's text cannot hold NUL; it is refused alike on every database."""
    before = snapshot(client, settings)
    target = {"target": {"claim_id": claim["id"]}}
    bodies = [
        ("/api/annotations", {**target, "body": "a\x00b"}, "body"),
        ("/api/annotations", {**target, "tags": ["t\x00"]}, "tags"),
        ("/api/annotations", {**target, "body": "x", "analyst": "A\x00"}, "analyst"),
        ("/api/links", {"source_claim_id": claim["id"], "target_claim_id": 1,
                        "relation": "related", "note": "\x00"}, "note"),
        ("/api/collections", {"name": "c\x00"}, "name"),
        ("/api/articles", {"text": "Officials said 20 people left.\x00 More words."}, "NUL"),
    ]  # fmt: skip
    for path, body, field in bodies:
        refused(client.post(path, json=body), 422, field, "NUL")
    refused(client.post(f"/claims/{claim['id']}/annotations", data={"body": "a\x00b"}), 422, "NUL")
    for url in ("/api/search", "/search", "/api/claims", "/api/entities", "/api/export.md"):
        refused(client.get(url, params={"q": "a\x00b"}), 422, "NUL")
    assert snapshot(client, settings) == before


def test_a_nul_character_is_refused_by_verdicts_and_reading_forms(
    client: TestClient, engine: Any, claim: dict
) -> None:
    """Standing verdicts, a tag's colour, the reading mode and the link picker refuse NUL
    like every other way in; no verdict or colour is stored."""
    verdicts = f"/api/claims/{claim['id']}/verdicts"
    client.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": "disputed", "analyst": "Ana"})
    before = client.get(verdicts).json()
    for body, field in [
        ({"verdict": "disputed", "analyst": "Ben\x00"}, "analyst"),
        ({"verdict": "corroborated\x00", "analyst": "Ana"}, "verdict"),
    ]:
        refused(client.put(f"/api/claims/{claim['id']}/verdict", json=body), 422, field, "NUL")
    page_form = client.put(f"/claims/{claim['id']}/verdict", data={"verdict": "false\x00"})
    refused(page_form, 422, "verdict", "NUL")
    withdraw = client.delete(f"/api/claims/{claim['id']}/verdict", params={"analyst": "Ana\x00"})
    refused(withdraw, 422, "NUL")
    assert client.get(verdicts).json() == before

    client.cookies.set("analyst", "Ana")
    for form, field in [
        ({"tag": "sources\x00", "colour": "green"}, "tag"),
        ({"tag": "sources", "colour": "green\x00"}, "colour"),
    ]:
        refused(client.post("/tags/colour", data=form), 422, field, "NUL")
    refused(client.post("/reading-mode", data={"mode": "plain\x00"}), 422, "mode")
    with read_session(engine) as session:
        assert preferences.tag_colours(session, "Ana") == {}
        assert preferences.reading_mode(session, "Ana") == "names"
    refused(client.get("/claims/pick", params={"q": "recruits\x00"}), 422, "NUL")


@PROPERTY
@given(raw=st.binary(max_size=200))
def test_any_bytes_as_a_json_body_are_a_refusal_or_a_write(
    client: TestClient, settings: Settings, raw: bytes
) -> None:
    for path in ("/api/annotations", "/api/links", "/api/collections", "/api/import"):
        r = client.post(path, content=raw, headers={"content-type": "application/json"})
        assert r.status_code < 500, (path, raw, r.text[:300])
        if r.status_code >= 400:
            assert isinstance(r.json()["detail"], str)


# --- names: analysts ------------------------------------------------------------------------

UNICODE_NAMES = ["Łukasz", "李明", "Zoë Ångström", "Ana 😀", "محمد", "Ṭarik q\u0307"]


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_an_analyst_name_is_unicode_end_to_end(client: TestClient, claim: dict, name: str) -> None:
    r = client.post("/analyst", data={"name": name, "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    page = client.get("/")
    assert f"Reading as <strong>{name}</strong>" in page.text
    made = client.post(f"/claims/{claim['id']}/annotations", data={"body": "from the page"})
    assert made.status_code == 200
    notes = client.get("/api/annotations", params={"analyst": name}).json()
    assert [n["body"] for n in notes] == ["from the page"]


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_the_analyst_header_is_read_as_utf8(client: TestClient, claim: dict, name: str) -> None:
    r = client.post(
        "/api/annotations",
        json={"target": {"claim_id": claim["id"]}, "body": "from a script"},
        headers={"X-Analyst": name.encode("utf-8")},
    )
    assert r.status_code == 201, r.text[:300]
    assert r.json()["analyst"] == name


def test_an_analyst_header_that_is_not_utf8_is_read_as_latin1(
    client: TestClient, claim: dict
) -> None:
    r = client.post(
        "/api/annotations",
        json={"target": {"claim_id": claim["id"]}, "body": "x"},
        headers={"X-Analyst": "José".encode("latin-1")},
    )
    assert r.status_code == 201 and r.json()["analyst"] == "José"


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_a_standing_verdict_keeps_a_unicode_analyst_name(
    client: TestClient, claim: dict, name: str
) -> None:
    url = f"/api/claims/{claim['id']}/verdict"
    r = client.put(url, json={"verdict": "disputed", "analyst": name})
    assert r.status_code == 200, r.text[:300]
    by_header = client.put(
        url, json={"verdict": "corroborated"}, headers={"X-Analyst": name.encode("utf-8")}
    )
    assert by_header.status_code == 200, by_header.text[:300]
    judged = client.get(f"/api/claims/{claim['id']}/verdicts").json()
    assert judged["current"] == {name: "corroborated"}
    assert [h["verdict"] for h in judged["history"]] == ["disputed", "corroborated"]
    assert client.delete(url, params={"analyst": name}).status_code == 200
    assert client.get(f"/api/claims/{claim['id']}/verdicts").json()["current"] == {}


@PROPERTY
@given(name=st.text(min_size=1, max_size=100))
def test_any_analyst_name_is_kept_or_refused_never_a_server_error(
    client: TestClient, claim: dict, name: str
) -> None:
    r = client.post("/analyst", data={"name": name, "next": "/"}, follow_redirects=False)
    assert r.status_code in (303, 422), r.text[:300]
    if r.status_code == 303:
        shown = client.get("/").text
        assert shown.count("Reading as") == 1
    # A cookie written by hand (or by another program) is read the same way.
    client.cookies.set("analyst", quote(name, safe=""))
    made = client.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "x"})
    assert made.status_code == 201, made.text[:300]
    stored = made.json()["analyst"]
    assert stored and len(stored) <= 80 and stored.isprintable()
    client.cookies.clear()


# --- names: uploaded files ------------------------------------------------------------------

ARTICLE = b"Officials said 2,000 people left the city in May. A second sentence follows.\n"

STRANGE_NAMES = [
    ("a" * 300 + ".txt", "long"),
    ("é" * 200 + ".txt", "long in bytes"),
    ("../../evil.txt", "parent folder"),
    ("..\\..\\evil.txt", "backslashes"),
    ("/tmp/evil.txt", "absolute"),
    ("sub/dir/report.txt", "subfolder"),
    (".hidden.txt", "hidden"),
    ("evil..txt", "dots inside"),
    ("report\x00.txt", "NUL"),
    ("re\x1bport\r\n.txt", "control characters"),
    ("\u202etxt.exe.txt", "right-to-left override"),
    ("CON.txt", "a device name elsewhere"),
    ("  spaced  name .txt", "spaces"),
]


@pytest.mark.parametrize(("name", "why"), STRANGE_NAMES, ids=[w for _, w in STRANGE_NAMES])
@pytest.mark.parametrize("route", ["/api/articles", "/upload"])
def test_strange_upload_names_are_stored_under_a_safe_name(
    client: TestClient, settings: Settings, tmp_path: Path, route: str, name: str, why: str
) -> None:
    data = ARTICLE + why.encode()
    outside = {p for p in tmp_path.rglob("*") if p.is_file()} - _uploads(settings)
    r = client.post(route, files={"file": (name, data, "text/plain")}, follow_redirects=False)
    assert r.status_code in (201, 303), r.text[:300]
    stored = _uploads(settings)
    assert len(stored) == 1
    (kept,) = stored
    assert kept.read_bytes() == data
    assert kept.parent == settings.uploads_dir
    assert len(kept.name.encode()) <= 80 and kept.name.isascii() and not kept.name.startswith(".")
    assert {p for p in tmp_path.rglob("*") if p.is_file()} - stored - outside <= _db_files(tmp_path)
    article = next(
        a for a in client.get("/api/articles").json() if a["title"].startswith("Officials")
    )
    # The original name is kept as metadata: printable, at most 255 characters.
    shown = article["source_file"]
    assert shown and shown.isprintable() and len(shown) <= 255
    assert shown.endswith(".txt")


def _uploads(settings: Settings) -> set[Path]:
    folder = settings.uploads_dir
    return {p for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def _db_files(tmp_path: Path) -> set[Path]:
    return {p for p in tmp_path.rglob("readingroom.db*")}


@PROPERTY
@given(name=st.text(min_size=1, max_size=300))
def test_any_upload_name_is_stored_or_refused_never_a_server_error(
    client: TestClient, settings: Settings, name: str
) -> None:
    r = client.post("/api/articles", files={"file": (name + ".txt", ARTICLE, "text/plain")})
    assert r.status_code in (201, 422), r.text[:300]
    for kept in _uploads(settings):
        assert kept.parent == settings.uploads_dir and kept.name.isascii()


# --- queries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/search?q={q}", "/search?q={q}", "/api/claims?q={q}", "/claims?q={q}",
     "/api/export.md?q={q}", "/api/export.jsonld?q={q}", "/api/claimreview.jsonld?q={q}",
     "/claims/pick?q={q}"],
)  # fmt: skip
def test_long_queries_are_refused_saying_the_limit(client: TestClient, url: str) -> None:
    many_words = " ".join(["the"] * (MAX_QUERY_WORDS + 1))
    refused(client.get(url.format(q=quote(many_words))), 422, str(MAX_QUERY_WORDS), "words")
    long_text = "x" * (MAX_QUERY_CHARS + 1)
    refused(client.get(url.format(q=long_text)), 422, str(MAX_QUERY_CHARS), "characters")


def test_the_longest_accepted_query_is_searched(client: TestClient) -> None:
    words = " ".join(["Officials", "said"] * (MAX_QUERY_WORDS // 2))
    assert client.get("/api/search", params={"q": words}).status_code == 200


def test_repeated_words_are_searched_once() -> None:
    """The cost of a query grew with the square of its words when a word repeated (every
    copy matched every place of every other); each word is now searched once."""
    terms = search.terms(" ".join(["the", "The", "THE", "the."] * 8))
    assert terms == ["the"]
    assert search.terms("20,000 recruits 20,000 Recruits") == ["20,000", "recruits"]


@PROPERTY
@given(q=st.text(max_size=120))
def test_any_query_is_answered_or_refused(client: TestClient, q: str) -> None:
    for url in ("/api/search", "/api/claims", "/search", "/claims/pick"):
        r = client.get(url, params={"q": q})
        assert r.status_code in (200, 422), (url, q, r.text[:300])


# --- every response carries the security headers ----------------------------------------------


def test_a_server_error_carries_the_security_headers(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/fails")
    def fails() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        for accept in ("application/json", "text/html"):
            r = c.get("/fails", headers={"accept": accept})
            assert r.status_code == 500
            assert "script-src 'self'" in r.headers["content-security-policy"]
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["x-frame-options"] == "DENY"
            assert "a bug" not in r.text  # no internals shown
            assert "server's log" in r.text


# --- a database that cannot be written --------------------------------------------------------


def test_a_database_that_cannot_be_written_answers_503(settings: Settings, claim: dict) -> None:
    """Opened read-only (as after a disk error or a full disk): writes are refused with 503,
    Retry-After and a message, reads still work."""
    if not settings.sqlalchemy_url.startswith("sqlite"):
        pytest.skip("a read-only database file is a SQLite condition")
    path = settings.sqlalchemy_url.split("///", 1)[1]
    read_only = settings.model_copy(
        update={"database_url": f"sqlite:///file:{path}?mode=ro&uri=true"}
    )
    with TestClient(create_app(read_only), base_url="http://127.0.0.1") as c:
        assert c.get("/api/articles").status_code == 200
        r = c.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "x"})
        assert r.status_code == 503, r.text[:300]
        assert r.headers["retry-after"].isdigit()
        assert "cannot be written" in r.json()["detail"]
        page = c.post(f"/claims/{claim['id']}/annotations", data={"body": "x"},
                      headers={"accept": "text/html"})  # fmt: skip
        assert page.status_code == 503 and "cannot be written" in page.text


# --- sizes ------------------------------------------------------------------------------------


def test_a_body_past_the_largest_allowed_is_refused_before_it_is_read(
    client: TestClient, settings: Settings
) -> None:
    before = snapshot(client, settings)
    declared = {"content-type": "application/json", "content-length": str(MAX_REQUEST_BYTES + 1)}
    r = client.post("/api/annotations", content=b"{}", headers=declared)
    refused(r, 413, "larger than")

    def chunks() -> Iterator[bytes]:  # no length announced: counted as it arrives
        for _ in range(MAX_REQUEST_BYTES // 2**20 + 2):
            yield b" " * 2**20

    for path in ("/api/import", "/api/articles"):
        r = client.post(path, content=chunks(), headers={"content-type": "application/json"})
        refused(r, 413, "larger than")
    assert snapshot(client, settings) == before


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        ("/api/annotations", {"target": {"claim_id": 1}, "body": "x" * (MAX_NOTE_CHARS + 1)},
         ("body", str(MAX_NOTE_CHARS))),
        ("/api/annotations", {"target": {"claim_id": 1}, "tags": ["t"] * 21}, ("tags",)),
        ("/api/articles", {"text": "x" * (MAX_BYTES + 1)}, ("at most",)),
        ("/api/collections", {"name": "n" * 201}, ("name",)),
        ("/api/links", {"source_claim_id": 1, "target_claim_id": 2, "relation": "related",
                        "note": "x" * 5001}, ("note",)),
    ],
)  # fmt: skip
def test_each_size_limit_is_a_422_naming_the_field(
    client: TestClient, settings: Settings, path: str, body: dict, words: tuple[str, ...]
) -> None:
    before = snapshot(client, settings)
    refused(client.post(path, json=body), 422, *words)
    assert snapshot(client, settings) == before


# --- shapes -----------------------------------------------------------------------------------


@PROPERTY
@given(doc=JSON_VALUES)
def test_any_json_document_is_refused_or_written_never_a_server_error(
    client: TestClient, settings: Settings, doc: Any
) -> None:
    for path in ("/api/annotations", "/api/links", "/api/collections", "/api/import",
                 "/api/suggestions/1", "/api/articles"):  # fmt: skip
        r = client.post(path, json=doc)
        assert r.status_code < 500, (path, doc, r.text[:300])
        if r.status_code >= 400:
            assert isinstance(r.json()["detail"], str) and r.json()["detail"]
