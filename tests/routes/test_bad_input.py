"""Bad input everywhere: each refusal is a 4xx whose `detail` names what was wrong, and it
leaves the stored articles, annotations and uploaded files exactly as they were.

Then the good-but-unusual input: RTL text, combining marks and characters outside the BMP in
an uploaded article, in notes, tags and selections, with the browser's UTF-16 offsets and the
server's code-point offsets agreeing.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.anchoring import codepoint_to_utf16
from app.config import PROJECT_ROOT, Settings
from app.ingest import MAX_BYTES
from app.schemas import MAX_NOTE_CHARS, MAX_TAGS
from tests.factories import refused, selector, snapshot

MISSING = 999_999
HUGE = 2**70  # past SQLite's and PostgreSQL's integers: must be refused, not overflow (500)


# --- JSON writes -----------------------------------------------------------------------------

# (name, method, path, JSON body or raw bytes, status, words the detail must name).
# Paths may use {claim}, {note} and {article}: the seeded claim, a fresh note and its article.
# fmt: off
BAD_JSON: list[tuple[str, str, str, Any, int, tuple[str, ...]]] = [
    # malformed JSON
    ("truncated", "POST", "/api/annotations", b'{"body": "x"', 422, ("JSON",)),
    ("not JSON", "POST", "/api/annotations", b"body=x", 422, ("JSON",)),
    ("empty body", "POST", "/api/annotations", b"", 422, ("body",)),
    ("JSON array", "POST", "/api/annotations", [1, 2], 422, ("object",)),
    ("malformed patch", "PATCH", "/api/annotations/{note}", b"{version: 2}", 422, ("JSON",)),
    ("malformed link", "POST", "/api/links", b"{'relation': 'related'}", 422, ("JSON",)),
    ("malformed paste", "POST", "/api/articles", b'{"text": ', 422, ("JSON",)),
    ("not UTF-8", "POST", "/api/annotations", b'{"body": "caf\xe9"}', 400, ("parsing",)),
    ("lone surrogate", "POST", "/api/annotations",
     b'{"target": {"claim_id": {claim}}, "body": "\\ud800"}', 422, ("body", "unicode")),
    # wrong types
    ("claim id as text", "POST", "/api/annotations",
     {"target": {"claim_id": "one"}, "body": "x"}, 422, ("claim_id",)),
    ("body as number", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "body": 5}, 422, ("body",)),
    ("tags as text", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "tags": "a,b"}, 422, ("tags",)),
    ("verdict as number", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "verdict": 1}, 422, ("verdict",)),
    ("unknown field", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "body": "x", "colour": "red"}, 422, ("colour",)),
    ("paste as number", "POST", "/api/articles", {"text": 5}, 422, ("string",)),
    # unknown ids
    ("unknown claim", "POST", "/api/annotations",
     {"target": {"claim_id": MISSING}, "body": "x"}, 404, (f"claim {MISSING}",)),
    ("unknown article", "POST", "/api/annotations",
     {"article_id": MISSING, "target": {"selector": {"exact": "x", "start": 0, "end": 1}},
      "body": "x"}, 404, (f"article {MISSING}",)),
    ("unknown reply_to", "POST", "/api/annotations",
     {"reply_to": MISSING, "body": "x"}, 404, (f"annotation {MISSING}",)),
    ("patch unknown", "PATCH", f"/api/annotations/{MISSING}",
     {"version": 1, "body": "x"}, 404, (f"annotation {MISSING}",)),
    ("restore unknown", "POST", f"/api/annotations/{MISSING}/restore", None, 404,
     (str(MISSING),)),
    ("link to unknown", "POST", "/api/links",
     {"source_claim_id": "{claim}", "target_claim_id": MISSING, "relation": "related"},
     404, (f"claim {MISSING}",)),
    ("decide unknown", "POST", f"/api/suggestions/{MISSING}", {"decision": "confirm"},
     404, (f"suggestion {MISSING}",)),
    ("huge claim id", "POST", "/api/annotations",
     {"target": {"claim_id": HUGE}, "body": "x"}, 422, ("claim_id",)),
    ("huge reply_to", "POST", "/api/annotations", {"reply_to": HUGE, "body": "x"}, 422,
     ("reply_to",)),
    ("huge link end", "POST", "/api/links",
     {"source_claim_id": HUGE, "target_claim_id": 1, "relation": "related"}, 422,
     ("source_claim_id",)),
    ("zero article id", "POST", "/api/annotations",
     {"article_id": 0, "target": {"selector": {"exact": "x", "start": 0, "end": 1}},
      "body": "x"}, 422, ("article_id",)),
    # unknown verdicts and relations
    ("unknown verdict", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "verdict": "dubious"}, 422, ("verdict", "disputed")),
    ("verdict in capitals", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "verdict": "Disputed"}, 422, ("verdict",)),
    ("patch unknown verdict", "PATCH", "/api/annotations/{note}",
     {"version": 1, "verdict": "true"}, 422, ("verdict",)),
    ("unknown relation", "POST", "/api/links",
     {"source_claim_id": "{claim}", "target_claim_id": 1, "relation": "friend"}, 422,
     ("relation", "same_claim")),
    ("link to itself", "POST", "/api/links",
     {"source_claim_id": "{claim}", "target_claim_id": "{claim}", "relation": "related"}, 422,
     ("two different ends",)),
    ("unknown decision", "POST", "/api/suggestions/1", {"decision": "maybe"}, 422,
     ("decision",)),
    ("nothing to say", "POST", "/api/annotations", {"target": {"claim_id": "{claim}"}}, 422,
     ("a note, a verdict or a tag",)),
    ("two targets", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}", "selector": {"exact": "x", "start": 0, "end": 1}},
      "body": "x"}, 422, ("exactly one",)),
    # selectors outside the text or not matching it
    ("quote not in the text", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "words that are nowhere", "start": 0, "end": 22}}},
     422, ("not in the article",)),
    ("past the end", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "zzzz qqqq", "start": 10**6, "end": 10**6 + 9}}},
     422, ("not in the article",)),
    ("UTF-16 past the end", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "the", "start": 10**6, "end": 10**6 + 3,
                              "offsets": "utf16"}}}, 422, ("past the end",)),
    ("end before start", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "the", "start": 9, "end": 4}}}, 422, ("end",)),
    ("negative start", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "the", "start": -3, "end": 0}}}, 422, ("start",)),
    ("empty quote", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "", "start": 0, "end": 1}}}, 422, ("exact",)),
    ("unknown offset unit", "POST", "/api/annotations",
     {"article_id": "{article}", "body": "x",
      "target": {"selector": {"exact": "the", "start": 0, "end": 3, "offsets": "bytes"}}},
     422, ("offsets",)),
    # over the documented limits
    ("note over 20,000", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "body": "x" * (MAX_NOTE_CHARS + 1)}, 422,
     ("body", "20000")),
    ("21 tags", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "tags": [f"t{i}" for i in range(MAX_TAGS + 1)]},
     422, ("tags", "20")),
    ("tag over 60", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "tags": ["x" * 61]}, 422, ("tags",)),
    ("blank tag", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "tags": ["  "]}, 422, ("tags",)),
    ("analyst over 80", "POST", "/api/annotations",
     {"target": {"claim_id": "{claim}"}, "body": "x", "analyst": "a" * 81}, 422, ("analyst",)),
    ("patch note over 20,000", "PATCH", "/api/annotations/{note}",
     {"version": 1, "body": "x" * (MAX_NOTE_CHARS + 1)}, 422, ("body",)),
    ("patch 21 tags", "PATCH", "/api/annotations/{note}",
     {"version": 1, "tags": [f"t{i}" for i in range(MAX_TAGS + 1)]}, 422, ("tags",)),
    ("link note over 5,000", "POST", "/api/links",
     {"source_claim_id": "{claim}", "target_claim_id": 1, "relation": "related",
      "note": "x" * 5001}, 422, ("note",)),
    ("paste over 5 MiB", "POST", "/api/articles", {"text": "x" * (MAX_BYTES + 1)}, 422,
     ("at most",)),
    # a version that is not a number
    ("version as text", "PATCH", "/api/annotations/{note}", {"version": "two", "body": "x"},
     422, ("version",)),
    ("version as fraction", "PATCH", "/api/annotations/{note}", {"version": 1.5, "body": "x"},
     422, ("version",)),
    ("version missing", "PATCH", "/api/annotations/{note}", {"body": "x"}, 422, ("version",)),
    ("version zero", "PATCH", "/api/annotations/{note}", {"version": 0, "body": "x"}, 422,
     ("version",)),
    ("version huge", "PATCH", "/api/annotations/{note}", {"version": HUGE, "body": "x"}, 422,
     ("version",)),
    ("stale version", "PATCH", "/api/annotations/{note}", {"version": 7, "body": "x"}, 409,
     ("since version 7",)),
    # pasted text that is no article
    ("empty paste", "POST", "/api/articles", {"text": ""}, 422, ("at least 1",)),
    ("whitespace paste", "POST", "/api/articles", {"text": " \n\t "}, 422, ("no readable text",)),
    ("symbols only", "POST", "/api/articles", {"text": "!!! ??? ..."}, 422,
     ("no readable text",)),
    ("control characters", "POST", "/api/articles", {"text": "\x01\x02\x03\x04" * 50}, 422,
     ("binary",)),
]
# fmt: on


def _fill(value: Any, names: dict[str, int]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names.get(value[1:-1], value)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [case[1:] for case in BAD_JSON],
    ids=[case[0] for case in BAD_JSON],
)
def test_bad_json_is_refused_and_changes_nothing(
    client: TestClient,
    settings: Settings,
    claim: dict,
    note: dict,
    method: str,
    path: str,
    body: Any,
    status: int,
    words: tuple[str, ...],
) -> None:
    names = {"claim": claim["id"], "note": note["id"], "article": claim["article_id"]}
    url = path.format(**names)
    if isinstance(body, bytes):
        raw = body.replace(b"{claim}", str(claim["id"]).encode())
        kwargs: dict[str, Any] = {"content": raw, "headers": {"content-type": "application/json"}}
    else:
        kwargs = {"json": _fill(body, names)} if body is not None else {}
    before = snapshot(client, settings)
    refused(client.request(method, url, **kwargs), status, *words)
    assert snapshot(client, settings) == before


def test_the_limits_themselves_are_accepted(client: TestClient, claim: dict) -> None:
    """The documented limits are limits, not off by one."""
    r = client.post(
        "/api/annotations",
        json={"target": {"claim_id": claim["id"]}, "body": "é" * MAX_NOTE_CHARS,
              "tags": [f"tag {i}" for i in range(MAX_TAGS)], "analyst": "a" * 80},
    )  # fmt: skip
    assert r.status_code == 201, r.text[:300]
    assert len(r.json()["body"]) == MAX_NOTE_CHARS and len(r.json()["tags"]) == MAX_TAGS


# --- reads with bad parameters ---------------------------------------------------------------

BAD_READS = [
    (f"/api/articles/{MISSING}", 404, f"article {MISSING}"),
    (f"/api/claims/{MISSING}", 404, f"claim {MISSING}"),
    (f"/api/entities/{MISSING}", 404, f"entity {MISSING}"),
    (f"/api/annotations/{MISSING}", 404, f"annotation {MISSING}"),
    (f"/api/annotations/{MISSING}/history", 404, f"annotation {MISSING}"),
    ("/api/articles/abc", 422, "article_id"),
    (f"/api/articles/{HUGE}", 422, "article_id"),
    (f"/api/annotations/{HUGE}", 422, "annotation_id"),
    (f"/api/claims?article={HUGE}", 422, "article"),
    (f"/api/claims?entity={HUGE}", 422, "entity"),
    (f"/api/annotations?article={HUGE}", 422, "article"),
    (f"/api/articles?offset={HUGE}", 422, "offset"),
    ("/api/articles?offset=-1", 422, "offset"),
    ("/api/claims?limit=0", 422, "limit"),
    ("/api/claims?limit=100000", 422, "limit"),
    ("/api/claims?figure=perhaps", 422, "figure"),
    ("/api/search", 422, "q"),
    ("/api/suggestions?kind=rumour", 422, "kind"),
    ("/api/suggestions?status=later", 422, "status"),
]


def test_bad_reads_say_what_was_wrong(client: TestClient) -> None:
    for url, status, word in BAD_READS:
        refused(client.get(url), status, word)


def hits(client: TestClient, q: str) -> list[tuple[str, int]]:
    r = client.get("/api/search", params={"q": q, "limit": 1000})
    assert r.status_code == 200, r.text[:300]
    return [(h["kind"], h["id"]) for h in r.json()]


@pytest.mark.parametrize(
    ("q", "words"),
    [('"Dalhaug', "Dalhaug"), ('Dalhaug"', "Dalhaug"), ("AND OR NOT", "and or not"),
     ("NEAR(Dalhaug", "NEAR Dalhaug"), ("Putin:", "Putin"),
     ("-Putin", "Putin"), ("' OR 1=1 --", "OR 1=1"), ("*", ""), ("\\", ""), ("🙏", ""),
     ("שלום", "שלום")],
)  # fmt: skip
def test_search_syntax_in_a_query_is_just_text(client: TestClient, q: str, words: str) -> None:
    """Quotes, operators and column filters are words to look for, never search syntax: a
    query finds what its words find, and one with no word finds nothing."""
    found = hits(client, q)
    assert found == hits(client, words)
    if words in ("Dalhaug", "Putin"):
        assert found  # the seeds name both
    if not words:
        assert found == []


def test_a_query_that_looks_like_sql_does_not_match_everything(client: TestClient) -> None:
    everything = hits(client, "Russia")
    assert len(hits(client, "' OR 1=1 --")) < len(everything)


def test_delete_with_a_bad_version_is_refused(client: TestClient, settings: Settings,
                                              note: dict) -> None:  # fmt: skip
    before = snapshot(client, settings)
    refused(client.delete(f"/api/annotations/{note['id']}?version=two"), 422, "version")
    refused(client.delete(f"/api/annotations/{note['id']}?version=9"), 409, "since version 9")
    refused(client.delete(f"/api/annotations/{MISSING}"), 404, f"annotation {MISSING}")
    assert snapshot(client, settings) == before


# --- uploads ------------------------------------------------------------------------------------

SCRIPTED_HTML = (
    b'<p>Officials said <b onclick="window.__xss=1">20,000 recruits</b> joined in May.</p>'
    b"<script>window.__xss = 1; alert('upload')</script>"
    b'<p style="color:red" onmouseover="alert(2)">A second paragraph of prose.</p>'
    b'<img src=x onerror="alert(3)"><iframe src="https://evil.example"></iframe>'
)

BAD_UPLOADS: list[tuple[str, str, bytes, tuple[str, ...]]] = [
    ("empty", "empty.txt", b"", ("empty",)),
    ("only whitespace", "blank.txt", b" \n\n\t \n", ("no readable text",)),
    ("NUL bytes", "nul.txt", b"text\x00more text", ("binary",)),
    ("a PNG", "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ("binary",)),
    ("Latin-1", "latin1.txt", "Café au lait, déjà vu".encode("latin-1"), ("UTF-8", "0xe9")),
    ("UTF-16", "utf16.txt", "Plain words".encode("utf-16"), ("binary",)),
    ("over 5 MiB", "big.txt", b"word " * (MAX_BYTES // 5 + 1), ("5 MiB",)),
    ("unsupported type", "report.docx", b"PK\x03\x04 text", (".docx",)),
    ("a damaged PDF", "report.pdf", b"%PDF-1.7 text", ("not a readable PDF",)),
    ("no extension", "README", b"Plain words here.", ("no extension",)),
    ("parent folder, no extension", "..", b"Plain words here.", ("no extension",)),
]


@pytest.mark.parametrize(
    ("name", "data", "words"), [c[1:] for c in BAD_UPLOADS], ids=[c[0] for c in BAD_UPLOADS]
)
@pytest.mark.parametrize("route", ["/api/articles", "/upload"])
def test_bad_uploads_are_refused_and_nothing_is_written(
    client: TestClient,
    settings: Settings,
    tmp_path: Path,
    route: str,
    name: str,
    data: bytes,
    words: tuple[str, ...],
) -> None:
    before = snapshot(client, settings)
    outside_before = _files_outside(tmp_path, settings)
    response = client.post(route, files={"file": (name, data, "text/plain")})
    refused(response, 422, *words)
    assert snapshot(client, settings) == before
    assert _files_outside(tmp_path, settings) == outside_before
    assert not (PROJECT_ROOT / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def _files_outside(tmp_path: Path, settings: Settings) -> set[Path]:
    """Every file under the test's folder except the database and its journal."""
    return {
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and not p.name.startswith(settings.sqlalchemy_url.rsplit("/", 1)[-1])
    }


def test_a_missing_file_field_is_named(client: TestClient, settings: Settings) -> None:
    before = snapshot(client, settings)
    r = client.post("/api/articles", files={"document": ("a.txt", b"Plain words.")})
    refused(r, 422, "file")
    r = client.post(
        "/api/articles", content=b"Plain words.", headers={"content-type": "text/plain"}
    )
    refused(r, 422, "JSON")
    assert snapshot(client, settings) == before


def test_mislabelled_html_keeps_only_its_text(client: TestClient, settings: Settings) -> None:
    """A .txt that is really an HTML page with script and handlers: read as HTML, and only
    the text is kept (no script body, no attribute, no tag)."""
    r = client.post("/api/articles", files={"file": ("scraped.txt", SCRIPTED_HTML, "text/plain")})
    assert r.status_code == 201, r.text[:300]
    text = r.json()["text"]
    assert "Officials said 20,000 recruits joined in May." in text
    assert "A second paragraph of prose." in text
    for leftover in ("<", ">", "script", "onclick", "onmouseover", "onerror", "alert",
                     "__xss", "style", "evil.example"):  # fmt: skip
        assert leftover not in text, leftover
    page = client.get(f"/articles/{r.json()['slug']}")
    assert page.status_code == 200
    assert "window.__xss" not in page.text and "alert(" not in page.text
    # the uploaded bytes are kept as they came, under the uploads folder only, named by
    # their content; the name they came under is the article's source file
    kept = settings.uploads_dir / f"{hashlib.sha256(SCRIPTED_HTML).hexdigest()}.txt"
    assert kept.read_bytes() == SCRIPTED_HTML
    assert r.json()["source_file"] == "scraped.txt"


def test_the_same_bytes_make_one_article(client: TestClient, settings: Settings) -> None:
    data = b"Officials said 20,000 recruits joined in May. A second sentence.\n"
    first = client.post("/api/articles", files={"file": ("once.txt", data)})
    assert first.status_code == 201, first.text[:300]
    count = len(client.get("/api/articles").json())
    again = client.post("/api/articles", files={"file": ("once.txt", data)})
    renamed = client.post("/upload", files={"file": ("twice.txt", data)}, follow_redirects=False)
    pasted = client.post("/api/articles", json={"text": data.decode()})
    assert again.json()["id"] == pasted.json()["id"] == first.json()["id"]
    assert renamed.status_code == 303
    assert renamed.headers["location"] == f"/articles/{first.json()['slug']}"
    assert len(client.get("/api/articles").json()) == count
    kept = [p.name for p in settings.uploads_dir.iterdir()]
    assert kept == [f"{hashlib.sha256(data).hexdigest()}.txt"]
    # and pasting the same text twice is one article too
    text = {"text": "A pasted note about 3,000 volunteers in June. Another sentence."}
    assert (
        client.post("/api/articles", json=text).json()["id"]
        == client.post("/api/articles", json=text).json()["id"]
    )


# --- the pages' forms (htmx fragments) ----------------------------------------------------------


def test_bad_form_posts_are_refused_and_change_nothing(
    client: TestClient, settings: Settings, claim: dict, note: dict
) -> None:
    cases = [
        ("post", f"/claims/{claim['id']}/annotations", {"body": "x", "verdict": "bogus"}, 422,
         "verdict"),
        ("post", f"/claims/{MISSING}/annotations", {"body": "x"}, 404, f"claim {MISSING}"),
        ("post", f"/claims/{claim['id']}/annotations", {"body": "x" * 20_001}, 422,
         "Note is too long: shorten it to at most 20000 characters"),
        ("post", f"/claims/{claim['id']}/annotations",
         {"body": "x", "tags": ",".join(f"t{i}" for i in range(21))}, 422, "Topic tags"),
        ("post", f"/annotations/{note['id']}/edit", {"body": "x", "version": "one"}, 422,
         "version"),
        ("post", f"/annotations/{MISSING}/edit", {"body": "x", "version": "1"}, 404,
         f"annotation {MISSING}"),
        ("post", f"/annotations/{note['id']}/replies", {"body": ""}, 422, "Note"),
        ("post", f"/articles/{claim['article_id']}/annotations",
         {"exact": "words that are nowhere", "start": "0", "end": "22", "body": "x"}, 422,
         "not in the article"),
        ("post", f"/claims/{claim['id']}/links", {"relation": "related", "target": "abc"},
         422, "Claim to link to"),
        ("post", f"/claims/{claim['id']}/links", {"relation": "friend", "target": "1"}, 422,
         "relation"),
        ("post", "/analyst", {"name": ""}, 422, "name"),
    ]  # fmt: skip
    before = snapshot(client, settings)
    for method, url, data, status, word in cases:
        r = client.request(method, url, data=data, headers={"hx-request": "true"})
        refused(r, status, word)
    for url, status, word in [
        (f"/articles/{claim['article_id']}/annotate?start=5&end=2", 422, "outside"),
        (f"/articles/{claim['article_id']}/annotate?start=0&end=99999999", 422, "past the end"),
        (f"/articles/{claim['article_id']}/annotate?start=x&end=2", 422, "Selection"),
    ]:
        refused(client.get(url), status, word)
    assert snapshot(client, settings) == before


# --- Unicode: right to left, combining marks, outside the BMP ----------------------------------

UNICODE_ARTICLE = (
    "Voices in three scripts\n\n"
    "The minister said שלום עולם to the crowd, which answered مرحبا بالعالم before the vote.\n\n"
    "Combining marks stay as written: the word q\u0307uick and the name Ṭ\u0304arik.\n\n"
    "Emoji 🙏🏽, the flag 🇳🇴 and the letters 𝐀𝐁𝐂 come before 20,000 recruits a month.\n"
)


def test_unicode_article_notes_tags_and_selections(client: TestClient, settings: Settings) -> None:
    upload = ("שלום-🙏.txt", UNICODE_ARTICLE.encode(), "text/plain")
    r = client.post("/api/articles", files={"file": upload})
    assert r.status_code == 201, r.text[:300]
    article = r.json()
    text = article["text"]
    assert article["title"] == "Voices in three scripts"
    assert "q\u0307uick" in text and "Ṭ\u0304arik" in text  # NFC has no precomposed form
    assert text == unicodedata.normalize("NFC", text)
    assert article["source_file"] == "שלום-🙏.txt"
    kept = settings.uploads_dir / f"{hashlib.sha256(UNICODE_ARTICLE.encode()).hexdigest()}.txt"
    assert kept.read_bytes() == UNICODE_ARTICLE.encode()

    # Selections as a browser sends them (UTF-16 units) land on the same code points.
    for exact in (
        "𝐀𝐁𝐂 come before",
        "🇳🇴",
        "🙏🏽",
        "שלום עולם",
        "مرحبا",
        "q\u0307uick",
        "Ṭ\u0304arik",
    ):
        cp = selector(text, exact)
        utf16 = {**cp, "offsets": "utf16", "start": codepoint_to_utf16(text, cp["start"]),
                 "end": codepoint_to_utf16(text, cp["end"])}  # fmt: skip
        for sent in (cp, utf16):
            made = client.post(
                "/api/annotations",
                json={"article_id": article["id"], "target": {"selector": sent}, "body": exact},
            )
            assert made.status_code == 201, (exact, made.text[:300])
            got = made.json()["target"]["selector"]
            assert (got["start"], got["end"], got["exact"]) == (cp["start"], cp["end"], exact)
            assert text[got["start"] : got["end"]] == exact
        # the page's own form gets the same selection from the browser's offsets
        panel = client.get(f"/articles/{article['id']}/annotate",
                           params={"start": utf16["start"], "end": utf16["end"]})  # fmt: skip
        assert panel.status_code == 200
        assert f'value="{cp["start"]}"' in panel.text and f'value="{cp["end"]}"' in panel.text

    # A browser offset inside a surrogate pair is refused, not rounded.
    inside = codepoint_to_utf16(text, text.index("𝐀")) + 1
    bad = client.post("/api/annotations", json={
        "article_id": article["id"], "body": "x",
        "target": {"selector": {"exact": "𝐀", "start": inside, "end": inside + 2,
                                "offsets": "utf16"}}})  # fmt: skip
    refused(bad, 422, "splits")

    # Notes and tags keep every character; tags fold case only.
    body = "**שלום** and مرحبا: 🙏🏽 q\u0307 𝐀𝐁𝐂 🇳🇴"
    tags = ["שלום", "🙏🏽", "Q\u0307", "Ünïcode"]
    made = client.post("/api/annotations", json={
        "article_id": article["id"], "body": body, "tags": tags,
        "target": {"selector": selector(text, "20,000 recruits")}}).json()  # fmt: skip
    assert made["body"] == body
    assert "<strong>שלום</strong>" in made["body_html"] and "🇳🇴" in made["body_html"]
    assert made["tags"] == ["שלום", "🙏🏽", "q\u0307", "ünïcode"]
    for tag in ("🙏🏽", "שלום", "ünïcode"):
        listed = client.get("/api/annotations", params={"tag": tag}).json()
        assert [a["id"] for a in listed] == [made["id"]], tag
    edited = client.patch(f"/api/annotations/{made['id']}",
                          json={"version": 1, "body": body + " ✍🏼"}).json()  # fmt: skip
    assert edited["body"] == body + " ✍🏼" and edited["version"] == 2
    history = client.get(f"/api/annotations/{made['id']}/history").json()
    assert history[-1]["change"]["body"]["to"] == body + " ✍🏼"

    # Stored and served back byte for byte, on the page as in the API.
    page = BeautifulSoup(client.get(f"/articles/{article['slug']}").text, "html.parser")
    shown = page.select_one(".article-body").get_text()  # type: ignore[union-attr]
    for piece in ("שלום עולם", "مرحبا بالعالم", "q\u0307uick", "🇳🇴", "𝐀𝐁𝐂 come before"):
        assert piece in shown, piece
    hits = client.get("/api/search", params={"q": "שלום"}).json()
    assert any(h["article_id"] == article["id"] for h in hits)
    served = client.get(f"/api/articles/{article['id']}").json()
    assert json.loads(json.dumps(served))["text"] == text


def test_numbers_past_the_database_are_refused_on_every_route(
    client: TestClient, settings: Settings
) -> None:
    """Pages, forms and the newer routes take ids as plain ints; 2**70 must be a 422 (and
    change nothing), not an overflow in the database driver."""
    reads = [f"/claims/{HUGE}", f"/articles/by-id/{HUGE}", f"/annotations/{HUGE}",
             f"/entities/{HUGE}", f"/claims?article={HUGE}"]  # fmt: skip
    reads.append(f"/annotations/{HUGE}/history")
    writes = [(f"/claims/{HUGE}/annotations", {"body": "x"}),
              (f"/annotations/{HUGE}/edit", {"body": "x", "version": "1"}),
              (f"/annotations/{HUGE}/replies", {"body": "x"}),
              (f"/claims/{HUGE}/links", {"relation": "related", "target": "1"})]  # fmt: skip
    if client.get("/api/collections").status_code == 200:
        reads += [
            f"/api/collections/{HUGE}",
            f"/collections/{HUGE}",
            f"/api/export.md?article={HUGE}",
        ]
        made = client.post("/api/collections", json={"name": "numbers"}).json()
        writes.append((f"/api/collections/{made['id']}/items", {"claim_id": HUGE}))
    before = snapshot(client, settings)

    def too_big(r: Any) -> None:
        refused(r, 422)
        detail = r.json()["detail"]
        assert "out of range" in detail or str(2**31 - 1) in detail, detail

    for url in reads:
        too_big(client.get(url))
        page = client.get(url, headers={"accept": "text/html"})
        assert page.status_code == 422, url
        assert "out of range" in page.text or str(2**31 - 1) in page.text, url
    for url, data in writes:
        too_big(client.post(url, json=data) if url[:4] == "/api" else client.post(url, data=data))
    assert snapshot(client, settings) == before
