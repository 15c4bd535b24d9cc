"""The news pages, PDFs and feeds of tests/fixtures/web against the truth in expected.json,
which was written by reading them. Pages are fetched from a server on loopback, as a URL
added by an analyst is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.fetch import fetch
from app.ingest import IngestError, read_document
from app.ingest.feeds import parse_feed
from app.ingest.pdf import read_pdf
from app.ingest.webpage import read_webpage
from tests.webserver import FIXTURES, FixtureSite, fixture_site

EXPECTED: list[dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
PAGES = [e for e in EXPECTED if e["kind"] == "html"]
READABLE = [e for e in PAGES if e.get("readable", True)]
METADATA = ("title", "author", "publisher", "date")
# Strings of page chrome trafilatura leaves in the text, as measured (the table-layout page
# keeps its whole layout table); more than this is a regression.
LEAKS_AT_MOST = 10


def squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    with fixture_site() as running:
        yield running


@pytest.fixture(scope="module")
def drafts(site: FixtureSite) -> dict[str, Any]:
    """Every readable page, fetched and read; the paywalled one's refusal."""
    read: dict[str, Any] = {}
    for entry in PAGES:
        got = fetch(site.url(entry["file"]), allow_private=True)
        try:
            read[entry["file"]] = read_webpage(got.data.decode(), got.data, url=got.url)
        except IngestError as exc:
            read[entry["file"]] = exc
    return read


def field_of(draft: Any, field: str) -> str | None:
    return getattr(draft, "published" if field == "date" else field)


def right(entry: dict[str, Any], draft: Any, field: str) -> bool:
    got = squash(field_of(draft, field)) or None
    wanted = [entry[field], *entry.get(f"{field}_alternatives", [])]
    return got in [squash(w) or None for w in wanted]


@pytest.mark.parametrize("field", METADATA)
def test_metadata_is_right_for_95_percent_of_the_pages(field: str, drafts: dict) -> None:
    wrong = [
        f"{e['file']}: {field_of(drafts[e['file']], field)!r}, not {e[field]!r}"
        for e in READABLE
        if not right(e, drafts[e["file"]], field)
    ]
    assert len(READABLE) >= 20
    assert len(wrong) <= 0.05 * len(READABLE), "\n".join(wrong)


def test_canonical_url_and_language(drafts: dict, site: FixtureSite) -> None:
    for entry in READABLE:
        draft = drafts[entry["file"]]
        canonical = entry["canonical_url"]
        if canonical:
            assert draft.canonical_url == canonical.replace("http://HOST/", site.base)
        else:
            assert draft.canonical_url is None, entry["file"]
        if draft.language is not None:  # the table-layout page declares none
            assert draft.language == entry["language"], entry["file"]


def test_the_amp_page_and_the_regular_page_name_one_address(drafts: dict) -> None:
    regular = drafts["news/harbor-bridge-reopens.html"]
    amp = drafts["news/amp/harbor-bridge-reopens.html"]
    assert regular.canonical_url == amp.canonical_url


def test_the_article_text_is_all_there(drafts: dict) -> None:
    missing = [
        f"{e['file']}: {sentence[:60]}"
        for e in READABLE
        for sentence in e["must_contain"]
        if squash(sentence) not in squash(drafts[e["file"]].text)
    ]
    assert not missing, "\n".join(missing)


def test_page_chrome_stays_out_of_the_text(drafts: dict) -> None:
    leaked = [
        f"{e['file']}: {chrome}"
        for e in READABLE
        for chrome in e["must_not_contain"]
        if squash(chrome) in squash(drafts[e["file"]].text)
    ]
    assert len(leaked) <= LEAKS_AT_MOST, "\n".join(leaked)
    pages_with_leaks = {line.split(":")[0] for line in leaked}
    assert len(pages_with_leaks) <= 5, "\n".join(leaked)


def test_a_paywalled_teaser_is_refused_as_no_readable_text(drafts: dict) -> None:
    refusal = drafts["news/paywall-pension-fund.html"]
    assert isinstance(refusal, IngestError)
    assert str(refusal) == (
        "no readable text: the page shows only 51 words of its article (it is behind a paywall)"
    )


def test_a_saved_page_is_read_by_the_same_reader() -> None:
    entry = next(e for e in PAGES if e["file"] == "news/fr-greve-transports-lyon.html")
    draft = read_document("greve.html", (FIXTURES / entry["file"]).read_bytes())
    assert (draft.title, draft.author, draft.publisher) == (
        entry["title"],
        entry["author"],
        entry["publisher"],
    )
    assert draft.published == entry["date"]
    assert draft.language == "fr"


# ------------------------------------------------------------------ PDF


def test_a_pdf_report_is_read_with_its_pages() -> None:
    entry = next(e for e in EXPECTED if e["file"] == "pdf/report.pdf")
    draft = read_pdf((FIXTURES / entry["file"]).read_bytes())
    assert (draft.title, draft.author) == (entry["title"], entry["author"])
    assert draft.source_format == "pdf"
    assert draft.published == entry["date"]
    for expected in entry["must_contain"]:
        at = squash(draft.text).find(squash(expected["text"]))
        assert at >= 0, expected["text"]
        block = next(b for b in draft.blocks if expected["text"][:40] in draft.block_text(b))
        assert block.page == expected["page"], expected["text"]
    assert {b.page for b in draft.blocks} == {1, 2, 3, 4}
    furniture = {draft.block_text(b) for b in draft.blocks if b.kind == "boilerplate"}
    assert set(entry["page_furniture"]) <= furniture
    assert "Page 2 of 4" not in " ".join(
        draft.block_text(b) for b in draft.blocks if b.kind != "boilerplate"
    )


def test_a_pdf_without_a_text_layer_is_refused_saying_so() -> None:
    with pytest.raises(IngestError) as caught:
        read_pdf((FIXTURES / "pdf/scanned.pdf").read_bytes())
    assert str(caught.value) == (
        "no text layer: the PDF's pages are images (a scan); it needs OCR, "
        "which the reading room does not do"
    )


def test_a_damaged_pdf_is_refused() -> None:
    with pytest.raises(IngestError, match="not a readable PDF"):
        read_pdf(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF")


# ------------------------------------------------------------------ feeds


def feed_entry(name: str) -> dict[str, Any]:
    return next(e for e in EXPECTED if e["file"] == name)


@pytest.mark.parametrize("name", ["feeds/rss.xml", "feeds/atom.xml"])
def test_feed_items_are_read(name: str, site: FixtureSite) -> None:
    entry = feed_entry(name)
    got = fetch(site.url(name), accept=frozenset({"feed"}), allow_private=True)
    feed = parse_feed(got.data, got.url)
    assert feed.title == entry["title"]
    assert [i.title for i in feed.items] == [i["title"] for i in entry["items"]]
    assert [i.link for i in feed.items] == [
        i["link"].replace("http://HOST/", site.base).split("?utm_")[0] for i in entry["items"]
    ]
    assert [i.key for i in feed.items] == [
        (i["guid"] or i["link"]).replace("http://HOST/", site.base) for i in entry["items"]
    ]
    assert [i.published.date().isoformat() if i.published else None for i in feed.items] == [
        i["published"] for i in entry["items"]
    ]


def test_a_day_later_exactly_the_new_items_are_new(site: FixtureSite) -> None:
    before = parse_feed(site.body_of("feeds/rss.xml"), site.url("feeds/rss.xml"))
    after = parse_feed(site.body_of("feeds/rss_updated.xml"), site.url("feeds/rss.xml"))
    seen = {item.key for item in before.items}
    assert [i.key for i in after.items if i.key not in seen] == feed_entry("feeds/rss_updated.xml")[
        "new_items"
    ]


def test_something_that_is_not_a_feed_is_refused() -> None:
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body><p>hello</p></body></html>", "http://127.0.0.1/x")
