"""The Markdown export: valid CommonMark with no HTML, notes that cannot break out of their
section, references that land on their sections, and the same bytes for the same data."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.export.markdown import to_markdown
from app.export.mdsafe import contain_note, escape_text, slugify
from app.render.markdown import render_export
from tests.factories import sample_export

# CommonMark with raw HTML *on*: anything a note could smuggle in would show up as a token.
STRICT = MarkdownIt("js-default", {"html": True})

NOTE_PIECES = st.sampled_from(
    list("#<>/`~*_-=+[]()!&|\\:. \n\tax1")
    + ["<script>", "</details>", "```", "~~~", "---", "===", "<!--", "-->", "<div>", "# ",
       "> ", "- ", "1. ", "    ", "\n\n", "Claim 1", "&lt;", "<http://x.y>", "<?", "[a]: /u",
       "![", "](https://x.example/p.png)", "![a][b]", "[b]: https://x.example/i.gif"]
)  # fmt: skip


def _walk(tokens: list[Token]) -> list[Token]:
    out = []
    for t in tokens:
        out.append(t)
        out.extend(_walk(t.children or []))
    return out


def _top_headings(source: str) -> list[tuple[str, str]]:
    tokens = STRICT.parse(source)
    return [
        (t.tag, tokens[i + 1].content)
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.level == 0
    ]


# --- containment of notes -----------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.lists(NOTE_PIECES, max_size=40).map("".join))
def test_no_note_escapes_its_blockquote(note: str) -> None:
    doc = "Before\n\n" + "\n".join(contain_note(note)) + "\n\nAfter the note\n"
    tokens = STRICT.parse(doc)
    assert not [t.type for t in _walk(tokens) if t.type.startswith("html") or t.type == "image"]
    top = [i for i, t in enumerate(tokens) if t.level == 0]
    # What follows the note is still a paragraph of the document, not part of the note.
    assert tokens[top[-2]].type == "paragraph_open"
    assert tokens[top[-2] + 1].content == "After the note"
    assert all(int(t.tag[1]) >= 4 for t in tokens if t.type == "heading_open")


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_escaped_text_renders_as_itself(text: str) -> None:
    tokens = STRICT.parse(escape_text(text))
    if not text.strip():
        return
    kinds = {t.type for t in _walk(tokens)}
    assert kinds <= {"paragraph_open", "paragraph_close", "inline", "text"}
    shown = "".join(t.content for t in _walk(tokens) if t.type == "text")
    assert shown == " ".join(text.split()).replace("\x00", "\ufffd")


def test_a_note_keeps_its_markdown_with_headings_demoted() -> None:
    lines = contain_note("# Sources\n\nSee *this* and `code <b>`.\n\n## Detail")
    assert lines == [
        "> #### Sources",
        ">",
        "> See *this* and `code <b>`.",
        ">",
        "> ##### Detail",
    ]


def test_raw_html_in_a_note_is_shown_as_text() -> None:
    html = render_export("\n".join(contain_note("<script>alert(1)</script> </details>")))
    assert "<script>" not in html and "</details>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "note",
    [
        "Look: ![the chart](https://tracker.example/pixel.png?who=me)",
        "![chart][pic]\n\n[pic]: https://tracker.example/p.gif",
        '> - ![in a list](http://x.example/a.png "title")',
        "| a |\n|---|\n| ![cell](https://x.example/c.png) |",
        "[![linked](https://x.example/i.png)](https://example.org)",
    ],
)
def test_a_remote_image_in_a_note_is_written_as_a_link(note: str) -> None:
    """A Markdown viewer fetches images when the document opens; a link is fetched only
    when the reader follows it."""
    doc = "\n".join(contain_note(note))
    tokens = _walk(STRICT.parse(doc))
    assert not [t for t in tokens if t.type == "image"]
    hrefs = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
    assert any("x.example" in h or "tracker.example" in h for h in hrefs), (doc, hrefs)


def test_an_image_in_a_code_span_stays_code() -> None:
    assert contain_note("Write `![alt](url)` for an image.") == [
        "> Write `![alt](url)` for an image."
    ]


def test_an_unbalanced_fence_ends_with_the_note() -> None:
    doc = "\n".join(contain_note("```\nno closing fence")) + "\n\n## Next section\n"
    assert _top_headings(doc) == [("h2", "Next section")]


def test_a_note_heading_cannot_take_a_section_anchor() -> None:
    lines = contain_note("# Claim 12\n\nNote 3\n===")
    headings = [t for t in _walk(STRICT.parse("\n".join(lines))) if t.type == "heading_open"]
    assert headings == []
    assert "Claim 12" in "\n".join(lines)


# --- the document -------------------------------------------------------------------------


def test_document_has_no_html_and_a_clean_outline() -> None:
    doc = to_markdown(sample_export())
    assert not [t.type for t in _walk(STRICT.parse(doc)) if t.type.startswith("html")]
    assert _top_headings(doc) == [
        ("h1", "Reading room export: recruitment"),
        ("h2", "Group 1: “According to Western estimates, Russia recruits 20,000 soldiers "
               "every month.”"),
        ("h3", "Claim 10"),
        ("h4", "Notes"),
        ("h3", "Claim 12"),
        ("h4", "Notes"),
        ("h2", "Group 2: “The ministry says 30,000 signed up in May.”"),
        ("h3", "Claim 11"),  # judged, without a note
        ("h2", "Notes on passages"),
        ("h3", "Note 5"),
        ("h3", "Note 6"),
        ("h2", "Verdicts"),
    ]  # fmt: skip


def test_grouped_by_article() -> None:
    doc = to_markdown(sample_export(), group="article")
    outline = [h for h in _top_headings(doc) if h[0] in ("h2", "h3")]
    assert outline == [
        ("h2", "Article: Recruitment drive stalls"),
        ("h3", "Claim 10"),
        ("h3", "Claim 11"),
        ("h3", "Note 5"),
        ("h2", "Article: Rewrite of the drive story"),
        ("h3", "Claim 12"),
        ("h3", "Note 6"),
        ("h2", "Verdicts"),
    ]


def test_every_reference_lands_on_its_section() -> None:
    page = BeautifulSoup(render_export(to_markdown(sample_export())), "html.parser")
    ids = {el["id"] for el in page.select("[id]")}
    targets = [a["href"] for a in page.select("a[href^='#']")]
    assert targets and all(t[1:] in ids for t in targets)
    assert {"claim-10", "claim-11", "claim-12", "note-5", "note-6"} <= ids
    # Section headings stay at the top of the document: no note swallowed them.
    for anchor in ("claim-10", "claim-12", "note-5"):
        assert page.find(id=anchor).parent.name == "[document]"


def test_only_one_heading_anywhere_gets_a_claims_anchor() -> None:
    # Note 4 says "# Claim 10"; GitHub would give it the anchor of Claim 10's section.
    doc = to_markdown(sample_export())
    slugs = [
        slugify(tokens_inline.content)
        for tokens in [STRICT.parse(doc)]
        for i, t in enumerate(tokens)
        if t.type == "heading_open"
        for tokens_inline in [tokens[i + 1]]
    ]
    assert slugs.count("claim-10") == 1


def test_a_claim_outside_the_export_is_named_not_linked() -> None:
    doc = to_markdown(sample_export())
    assert "](#claim-99)" not in doc
    assert "Claim 99 (not in this export: “Pay rose sharply.”, *Rewrite of the drive story*)" in doc


def test_what_a_claim_section_says() -> None:
    doc = to_markdown(sample_export())
    section = doc.split("### Claim 10\n", 1)[1].split("### Claim 12\n", 1)[0]
    assert "> According to Western estimates, Russia recruits 20,000 soldiers every month." in (
        section
    )
    assert (
        "- Source: *Recruitment drive stalls*, published by Daily Example, by Jo Writer, "
        "source file a_1.txt, paragraph 1"
    ) in section
    assert "- Attributed to: Western estimates" in section
    assert "- Figures: “20,000 soldiers” (20,000 soldier per month)" in section
    assert (
        "- Verdicts: Ana: disputed (2024-05-03); Ben: unverified (2024-05-01) — "
        "standing verdict: contested"
    ) in section
    assert "- Sources: 2 articles, 1 independent source" in section
    assert "- Conflicting figures: [Claim 11](#claim-11): 20,000 vs 30,000" in section
    assert "This claim contradicts [Claim 11](#claim-11) — Ana, 2024-05-01: “20k vs 30k”" in section
    assert "**Reply 2** to Note 1 by Ben, 2024-05-01" in section
    assert "tags: recruitment, casualties" in section


def test_same_data_same_bytes_but_the_export_time() -> None:
    first = to_markdown(sample_export())
    assert to_markdown(sample_export()) == first
    later = dataclasses.replace(sample_export(), exported_at=datetime(2030, 1, 1, tzinfo=UTC))
    changed = [
        (a, b)
        for a, b in zip(first.splitlines(), to_markdown(later).splitlines(), strict=True)
        if a != b
    ]
    assert len(changed) == 1 and changed[0][0].startswith("- Exported: 2024-06-01T12:00:00Z")


def test_titles_and_names_cannot_inject_markdown() -> None:
    export = sample_export()
    hostile = dataclasses.replace(
        export.articles[0], title="*Bold* [x](javascript:alert(1)) <b>", publisher="# Pub"
    )
    export = dataclasses.replace(export, articles=(hostile, export.articles[1]))
    page = BeautifulSoup(render_export(to_markdown(export)), "html.parser")
    assert not page.find("b")
    assert "Bold" not in [s.get_text() for s in page.find_all(["strong", "em"])]
    assert not [a for a in page.find_all("a") if "javascript" in a.get("href", "")]
    assert "*Bold* [x](javascript:alert(1)) <b>" in page.get_text()
    assert "published by # Pub" in page.get_text()


# --- the preview ---------------------------------------------------------------------------


def test_preview_is_safe_and_keeps_links_within_the_document() -> None:
    page = BeautifulSoup(render_export(to_markdown(sample_export())), "html.parser")
    assert not page.find("script") and not page.find("img")
    hrefs = [a.get("href") for a in page.find_all("a")]
    assert "https://www.gov.uk/mod" in hrefs
    assert not [h for h in hrefs if h and h.lower().startswith("javascript")]
    external = page.find("a", href="https://www.gov.uk/mod")
    assert external["rel"] == ["nofollow", "noopener", "noreferrer"]
    internal = page.find("a", href="#claim-11")
    assert internal is not None and not internal.get("target")
    # The document's title is below the page's own <h1>.
    assert not page.find("h1") and page.find("h2").get_text() == "Reading room export: recruitment"
