"""Ingest: file bytes → ArticleDraft, judged on the five seeds and on crafted inputs."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path
from typing import TypedDict

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.ingest import (
    MAX_BYTES,
    ArticleDraft,
    IngestError,
    draft_from_text,
    read_document,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(prefix: str) -> tuple[bytes, ArticleDraft]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    data = path.read_bytes()
    return data, read_document(path.name, data)


def texts_of(draft: ArticleDraft, kind: str) -> list[str]:
    return [draft.text[b.start : b.end] for b in draft.blocks if b.kind == kind]


def assert_well_formed(draft: ArticleDraft) -> None:
    previous_end = 0
    for block in draft.blocks:
        piece = draft.text[block.start : block.end]
        assert piece, block
        assert piece == piece.strip(), block
        assert block.start >= previous_end, "blocks overlap or are out of order"
        previous_end = block.end
    covered = "".join(
        ch if any(b.start <= i < b.end for b in draft.blocks) else " "
        for i, ch in enumerate(draft.text)
    )
    assert covered.split() == draft.text.split(), "some text is in no block"


# ------------------------------------------------------------------ the five seeds


class Expected(TypedDict):
    title: str
    derived: bool
    publisher: str | None
    author: str | None
    headings: list[str]
    boilerplate: set[str]


SEED_EXPECTATIONS: dict[str, Expected] = {
    "000": {
        "title": "For Vladimir Putin, Donald Trump’s potential return to power in the U.S. "
        "couldn’t come…",
        "derived": True,
        "publisher": None,
        "author": None,
        "headings": [
            "Russia’s Heavy Losses and Recruitment Woes",
            "Who’s Being Drafted?",
            "Scraping the Bottom of the Barrel",
            "A Sign of Struggle",
            "Ukraine Isn’t Out of the Woods",
        ],
        "boilerplate": {"Leave a Reply"},
    },
    "001": {
        "title": "Russia needs peace deal negotiations now more than ever, as its military "
        "resources and…",
        "derived": True,
        "publisher": None,
        "author": None,
        "headings": [
            "Recruitment Challenges and Troop Shortages",
            "Desperation and Alternative Recruitment Strategies",
            "The Strategic and Political Implications of a Peace Deal",
        ],
        "boilerplate": {
            "Read : Earth’s Magnetic North Pole Moving Towards Russia",
            "Read : Russia: The Only Country Which is Part Of Two Continent, Asia And Europe",
            "let’s enjoy few years on earth with peace and happiness….✍🏼🙏",
        },
    },
    "002": {
        "title": "For Vladimir Putin, the arrival of Donald Trump’s victory in the elections "
        "could not have…",
        "derived": True,
        "publisher": None,
        "author": "Natasha Lindstaedt",
        "headings": [],
        "boilerplate": set(),
    },
    "003": {
        "title": "New Mobilization Triggers Russian Emigration and Bloodshed in Russia",
        "derived": False,
        "publisher": "RKS NEWS",
        "author": None,
        "headings": [],
        "boilerplate": {"Share this Post"},
    },
    "004": {
        "title": "Foreign troops help Putin avoid pitfalls of another Russian mobilization",
        "derived": False,
        "publisher": "lollypopad.online",
        "author": "Katherine Spencer",
        "headings": [
            "Foreign troops help Putin avoid pitfalls of another Russian mobilization",
            "Foreign troops are helping Putin avoid the pitfalls of another Russian mobilization",
        ],
        "boilerplate": {
            "Physical Address",
            "304 North Cardinal St.",
            "Dorchester Center, MA 02124",
            "Stay updated",
            "As the world watches the Russian invasion of Ukraine unfold, UkraineAlert delivers "
            "the Atlantic Council’s best expert insight and analysis on Ukraine directly to your "
            "inbox twice a week.",
            "Events of the Eurasian Center",
            "Additional reading",
            "The views expressed in UkraineAlert are solely those of the authors and do not "
            "necessarily reflect the views of the Atlantic Council, its staff or its supporters.",
            "The Eurasian Center mission is to enhance transatlantic cooperation in promoting "
            "stability, democratic values and prosperity in Eurasia, from Eastern Europe and "
            "Turkey in the west to the Caucasus, Russia and Central Asia in the east.",
            "Follow us on social networks",
            "and support our work",
            "Image: Russian President Vladimir Putin holds a meeting of the Presidential Council "
            "for Strategic Development and National Projects at the Kremlin in Moscow. December "
            "5, 2024 (Sputnik/Valery Sharifulin/Pool via REUTERS)",
            "Source link",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
        },
    },
}


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTATIONS))
def test_seed_metadata(prefix: str) -> None:
    expected = SEED_EXPECTATIONS[prefix]
    _, draft = seed(prefix)
    assert draft.title == expected["title"]
    assert draft.title_derived is expected["derived"]
    assert draft.publisher == expected["publisher"]
    assert draft.author == expected["author"]
    assert draft.source_format == "txt"


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTATIONS))
def test_seed_headings_and_boilerplate(prefix: str) -> None:
    expected = SEED_EXPECTATIONS[prefix]
    _, draft = seed(prefix)
    assert draft.headings == expected["headings"]
    assert set(texts_of(draft, "boilerplate")) == expected["boilerplate"]
    assert [draft.text[s:e] for s, e in draft.boilerplate_spans] == texts_of(draft, "boilerplate")


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTATIONS))
def test_seed_content_is_never_boilerplate(prefix: str) -> None:
    expected = SEED_EXPECTATIONS[prefix]
    _, draft = seed(prefix)
    for block in draft.blocks:
        line = draft.text[block.start : block.end]
        if line not in expected["boilerplate"] and block.kind not in ("title", "publisher"):
            assert block.kind in ("paragraph", "heading", "bio"), line
        if len(line.split()) >= 25 and line not in expected["boilerplate"]:
            assert block.kind in ("paragraph", "bio"), line


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTATIONS))
def test_seed_text_is_kept_verbatim_and_fully_blocked(prefix: str) -> None:
    data, draft = seed(prefix)
    assert draft.text == data.decode("utf-8").rstrip("\n")
    assert draft.content_hash == hashlib.sha256(data).hexdigest()
    assert_well_formed(draft)
    assert len(draft.blocks) == sum(1 for line in draft.text.split("\n") if line.strip())


def test_seed_layout_kinds() -> None:
    _, d003 = seed("003")
    assert texts_of(d003, "title") == [
        "New Mobilization Triggers Russian Emigration and Bloodshed in Russia"
    ]
    assert texts_of(d003, "publisher") == ["RKS NEWS"]
    _, d002 = seed("002")
    assert texts_of(d002, "bio") == [
        "Natasha Lindstaedt is a professor in the Department of Government, University of Essex"
    ]
    # A derived title leaves the lead where it is, as a paragraph.
    _, d000 = seed("000")
    assert d000.blocks[0].kind == "paragraph"
    assert d000.title_derived and d000.title.endswith("…") and len(d000.title) <= 90


def test_seed_word_count_excludes_boilerplate() -> None:
    _, draft = seed("004")
    everything = len(draft.text.split())
    boiler = sum(len(draft.text[s:e].split()) for s, e in draft.boilerplate_spans)
    assert boiler > 150
    assert abs(draft.word_count - (everything - boiler)) <= 5  # tokenisers differ on "—", "*"


# ------------------------------------------------------------------ rejected input


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.txt", b"", "file is empty"),
        ("a.txt", b"  \n\t \r\n\n", "no readable text"),
        ("a.md", b"\xef\xbb\xbf\n\n", "no readable text"),
        ("a.txt", b"Hello\x00world", "binary file (NUL bytes)"),
        ("a.txt", bytes(range(1, 9)) * 200, "binary file"),
        ("a.txt", "Café au lait".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 3)"),
        ("a.docx", b"PK\x03\x04", "unsupported file type '.docx'"),
        ("a.pdf", b"%PDF-1.4", "not a readable PDF"),
        ("a.pdf", b"<html>a page</html>", "not a PDF"),
        ("README", b"hello there", "file has no extension"),
        ("a.html", b"<html><script>alert(1)</script></html>", "no readable text"),
    ],
)
def test_rejected_input_names_the_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as caught:
        read_document(name, data)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message


def test_oversize_input_is_refused_with_sizes() -> None:
    assert MAX_BYTES == 5 * 1024 * 1024
    with pytest.raises(IngestError, match=r"^file is 7\.2 MiB; the limit is 5 MiB$"):
        read_document("big.txt", b"a" * int(7.2 * 1024 * 1024))
    with pytest.raises(IngestError, match=r"^file is 5\.1 MiB"):
        read_document("big.txt", b"a" * (MAX_BYTES + 1))
    # Exactly at the limit is fine (in long words: 5 MiB of short ones has too many to read).
    read_document("limit.txt", (b"w" * 99 + b" ") * (MAX_BYTES // 100))


def test_pasted_text_errors() -> None:
    for bad in ("", "   \n  "):
        with pytest.raises(IngestError):
            draft_from_text(bad)
    with pytest.raises(IngestError, match="lone surrogate"):
        draft_from_text("abc \ud800 def")


# ------------------------------------------------------------------ HTML


LONG_PARAGRAPH = (
    b"<p>Supply columns wait for the ground to freeze, the roads behind the lines have turned "
    b"to mud, and both armies dig in along the river while their engineers lay new mines and "
    b"their drone crews watch every crossing point day and night for movement. Commanders "
    b"expect no large attack before the frost, and the villages near the front are empty.</p>"
)

HOSTILE_PAGE = b"""<!DOCTYPE html>
<html><head>
<title>Drones Reshape the Front | The Kyiv Ledger</title>
<meta property="og:site_name" content="Kyiv Ledger">
<meta name="author" content="Olena Marchenko">
<style>body { color: red } .evil { display: none }</style>
<script>alert(1)</script>
</head>
<body onload="steal()">
<header><nav><a href="/">Home</a><a href="/world">World</a></nav></header>
<div class="sidebar">Trending now: celebrity gossip</div>
<article>
  <h1>Drones Reshape the Front</h1>
  <p onclick="alert(2)">Both armies now fly <b>thousands</b> of drones a day &amp; adapt weekly,
     officers <a href="javascript:alert(3)">say</a>.</p>
  <h2>Cheap and Deadly</h2>
  <p>A drone costs less than a shell.<br>It hits more often.</p>
  <p>Workshops behind the front assemble frames, motors and cameras from parts bought abroad,
     and crews test each batch in the fields before it goes forward to the brigades.</p>
  <p>Officers on both sides say the cheapest machines now decide more fights than artillery
     did a year ago, and that the side that adapts faster each week keeps the initiative.</p>
  <ul><li>Repair shops work at night.</li><li>Spare parts come from abroad.</li></ul>
  <blockquote>We adapt or we lose.</blockquote>
  <noscript>Please enable JavaScript</noscript>
  <iframe src="https://ads.example">ad frame</iframe>
  <template><p>template text</p></template>
  <svg><text>svg label</text></svg>
  <form>Name <input name="n"><button>Send</button></form>
  <!-- a comment that must not appear -->
  <script>document.write("injected")</script>
</article>
<footer>Footer links and copyright</footer>
</body></html>"""


def test_html_keeps_only_article_text() -> None:
    draft = read_document("page.html", HOSTILE_PAGE)
    assert draft.source_format == "html"
    for leaked in (
        "alert",
        "steal",
        "onclick",
        "color",
        "injected",
        "<",
        ">",
        "javascript",
        "Trending now",
        "Home",
        "Footer",
        "enable JavaScript",
        "ad frame",
        "template text",
        "svg label",
        "Send",
        "a comment",
    ):
        assert leaked not in draft.text, leaked
    assert "Both armies now fly thousands of drones a day & adapt weekly, officers say." in (
        draft.text
    )
    assert_well_formed(draft)


def test_html_metadata_and_blocks() -> None:
    draft = read_document("page.htm", HOSTILE_PAGE)
    assert draft.title == "Drones Reshape the Front"
    assert not draft.title_derived
    assert draft.publisher == "Kyiv Ledger"
    assert draft.author == "Olena Marchenko"
    assert texts_of(draft, "title") == ["Drones Reshape the Front"]
    assert draft.headings == ["Cheap and Deadly"]
    assert texts_of(draft, "paragraph")[-3:] == [
        "Repair shops work at night.",
        "Spare parts come from abroad.",
        "We adapt or we lose.",
    ]
    # Block elements are separated by a blank line, a <br> by a single newline.
    assert "A drone costs less than a shell.\nIt hits more often.\n\nWorkshops" in draft.text


def test_html_title_tag_gives_title_and_publisher_without_h1() -> None:
    page = (
        b"<html><head><title>Winter Offensive Stalls - kyivledger.example</title></head>"
        b"<body><p>The offensive has stalled in the mud, commanders on both sides say.</p>"
        + LONG_PARAGRAPH
        + b"</body></html>"
    )
    draft = read_document("p.html", page)
    assert (draft.title, draft.publisher) == ("Winter Offensive Stalls", "kyivledger.example")
    assert not draft.title_derived


def test_mislabelled_txt_containing_html_is_read_as_html() -> None:
    draft = read_document("scraped.txt", HOSTILE_PAGE)
    assert draft.source_format == "html"
    assert draft.title == "Drones Reshape the Front"
    assert "<" not in draft.text and "alert" not in draft.text


def test_html_file_without_tags_is_read_as_text() -> None:
    draft = read_document("plain.html", b"Just Some Title Here\n\nA plain paragraph of text.\n")
    assert draft.source_format == "txt"
    assert draft.title == "Just Some Title Here"


# ------------------------------------------------------------------ Markdown


MARKDOWN = """# Sanctions Bite Harder

By Jane Doe

The **central bank** raised *rates* again, [officials said](https://example.com/x).
A second line of the same paragraph.

## What Changes for Exporters

Exporters must now convert `80%` of their revenue.

- Banks comply.
- Firms complain.

Leave a Reply
"""


def test_markdown_headings_and_readable_text() -> None:
    draft = read_document("note.md", MARKDOWN.encode())
    assert draft.source_format == "md"
    assert draft.title == "Sanctions Bite Harder" and not draft.title_derived
    assert draft.author == "Jane Doe"
    assert draft.headings == ["What Changes for Exporters"]
    assert texts_of(draft, "title") == ["Sanctions Bite Harder"]
    assert texts_of(draft, "bio") == ["By Jane Doe"]
    for marker in ("#", "**", "*", "](", "https://", "`", "- Banks"):
        assert marker not in draft.text, marker
    assert (
        "The central bank raised rates again, officials said. "
        "A second line of the same paragraph.\n\nWhat Changes"
    ) in draft.text
    assert texts_of(draft, "boilerplate") == ["Leave a Reply"]
    assert_well_formed(draft)


def test_markdown_extension_alias_and_inline_html_is_dropped() -> None:
    source = (
        "# A Title For Testing\n\n"
        "Text <span onclick='x()'>kept</span> <script>alert(1)</script> end.\n"
    )
    draft = read_document("n.markdown", source.encode())
    assert "kept" in draft.text and "end." in draft.text
    assert "alert" not in draft.text and "onclick" not in draft.text and "<" not in draft.text


# ------------------------------------------------------------------ decoding


def test_crlf_and_cr_become_lf() -> None:
    for newline in (b"\r\n", b"\r"):
        data = newline.join([b"Grain Exports Resume Quietly", b"", b"Ships left Odesa today."])
        draft = read_document("a.txt", data + newline)
        assert "\r" not in draft.text
        assert draft.text == "Grain Exports Resume Quietly\n\nShips left Odesa today."
        assert draft.title == "Grain Exports Resume Quietly"


def test_bom_is_stripped_but_hashed() -> None:
    data = b"\xef\xbb\xbfGrain Exports Resume Quietly\n\nShips left Odesa today.\n"
    draft = read_document("a.txt", data)
    assert draft.text.startswith("Grain")
    assert draft.title == "Grain Exports Resume Quietly"
    assert draft.content_hash == hashlib.sha256(data).hexdigest()


def test_text_is_nfc_normalised() -> None:
    decomposed = "Cafe\u0301 owners in Mariupo\u0308l reopened their shops this spring."
    draft = read_document("a.txt", decomposed.encode())
    assert draft.text == unicodedata.normalize("NFC", decomposed)
    assert "Café" in draft.text


def test_trailing_whitespace_and_blank_lines_are_stripped() -> None:
    draft = read_document("a.txt", b"\n\nFirst paragraph here.   \n\n\nSecond one.\t\n\n\n")
    assert draft.text == "First paragraph here.\n\n\nSecond one."


def test_emoji_and_rtl_text_survive_with_exact_offsets() -> None:
    lines = [
        "Voices From the Market",
        "Traders greeted the news with 🎉 and 🙏🏼 on every stall.",
        "A banner read: «سلام» and another שלום עליכם, both in their own scripts.",
        "The mood was calm again by evening, traders said.",
    ]
    draft = draft_from_text("\n\n".join(lines))
    assert [draft.text[b.start : b.end] for b in draft.blocks] == lines
    assert [b.kind for b in draft.blocks] == ["title", "paragraph", "paragraph", "paragraph"]


# ------------------------------------------------------------------ pasted text


def test_explicit_metadata_overrides_detection() -> None:
    text = "RKS NEWS\n\nTroops Dig In for Winter\n\nThe front has barely moved since autumn."
    detected = draft_from_text(text)
    assert (detected.title, detected.publisher) == ("Troops Dig In for Winter", "RKS NEWS")
    given = draft_from_text(text, title="Winter Lines", publisher="Other Desk", author="A. Writer")
    assert (given.title, given.publisher, given.author) == (
        "Winter Lines",
        "Other Desk",
        "A. Writer",
    )
    assert not given.title_derived
    assert given.content_hash == hashlib.sha256(text.encode()).hexdigest()
    assert given.source_format == "txt"


def test_headline_less_text_gets_a_title_from_its_lead() -> None:
    lead = (
        "Officials in three regions confirmed on Tuesday that the new conscription notices "
        "had been delivered electronically to thousands of men. More followed."
    )
    draft = draft_from_text(lead)
    assert draft.title_derived
    assert draft.title.endswith("…") and len(draft.title) <= 90
    stem = draft.title[:-1]
    assert lead.startswith(stem) and lead[len(stem)] == " "
    assert draft.blocks[0].kind == "paragraph"
    short = draft_from_text("Kyiv was quiet last night. Sirens sounded twice.")
    assert short.title == "Kyiv was quiet last night" and short.title_derived


def test_word_count_skips_boilerplate() -> None:
    draft = draft_from_text(
        "Ports Reopen After Storm\n\nOne two three four five six.\n\nLeave a Reply"
    )
    assert draft.word_count == 4 + 6


# ------------------------------------------------------------------ the rules, one by one


def test_byline_near_the_top_gives_the_author() -> None:
    text = (
        "Ceasefire Talks Resume\n\nBy Jane Doe and John Roe | May 3, 2024\n\n"
        "Negotiators met again in Istanbul, two officials said."
    )
    draft = draft_from_text(text)
    assert draft.author == "Jane Doe and John Roe"
    assert texts_of(draft, "bio") == ["By Jane Doe and John Roe | May 3, 2024"]


def test_everything_short_after_the_closing_bio_is_boilerplate() -> None:
    body = "The offensive stalled in the autumn mud, and both sides dug in for winter. " * 3
    text = (
        f"{body}\n\nMaria Petrova is a senior fellow at the Example Institute.\n\n"
        "Most Shared This Week\n\nOur partners in the region\n\nWinter is coming"
    )
    draft = draft_from_text(text)
    assert draft.author == "Maria Petrova"
    assert texts_of(draft, "boilerplate") == [
        "Most Shared This Week",
        "Our partners in the region",
        "Winter is coming",
    ]


def test_a_bio_like_sentence_followed_by_more_article_is_not_a_bio() -> None:
    long_paragraph = "The offensive stalled in the mud and both sides dug in for winter. " * 6
    text = (
        f"{long_paragraph}\n\nIvan Sidorov is a senior analyst at the Kyiv School of Economics.\n\n"
        f"{long_paragraph}"
    )
    draft = draft_from_text(text)
    assert draft.author is None
    assert "bio" not in {b.kind for b in draft.blocks}
    assert draft.boilerplate_spans == []


def test_lowercase_continuation_of_boilerplate_is_boilerplate() -> None:
    text = (
        "The ministry said the new rules take effect in March, after a short pilot.\n"
        "Subscribe\nand get the weekly digest"
    )
    draft = draft_from_text(text)
    assert texts_of(draft, "boilerplate") == ["Subscribe", "and get the weekly digest"]


def test_short_sentences_and_questions_are_judged_correctly() -> None:
    text = (
        "Prices Keep Climbing\n\n"
        "Bread costs twice what it did a year ago, shoppers in Kharkiv say.\n\n"
        "Prices rose again\n\n"
        "The central bank blamed the war and a weak harvest for the increase.\n\n"
        "Will It Last?\n\n"
        "Economists expect inflation to ease only slowly through next year.\n\n"
        "Such claims are not new."
    )
    draft = draft_from_text(text)
    assert draft.headings == ["Will It Last?"]
    assert "Prices rose again" in texts_of(draft, "paragraph")
    assert "Such claims are not new." in texts_of(draft, "paragraph")
    assert draft.boilerplate_spans == []


def test_hard_wrapped_paragraphs_are_one_block() -> None:
    text = (
        "Refugees Return to Kherson\n\n"
        "Thousands of residents who fled the city in 2022 have begun to return,\n"
        "local officials said on Monday, despite continued shelling from across\n"
        "the river.\n\nSchools reopened last week."
    )
    draft = draft_from_text(text)
    assert draft.title == "Refugees Return to Kherson"
    assert [b.kind for b in draft.blocks] == ["title", "paragraph", "paragraph"]
    assert draft.text[draft.blocks[1].start : draft.blocks[1].end].endswith("the river.")


# ------------------------------------------------------------------ robustness


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400))
def test_any_pasted_text_gives_a_well_formed_draft_or_an_ingest_error(text: str) -> None:
    try:
        draft = draft_from_text(text)
    except IngestError:
        return
    assert_well_formed(draft)
    assert draft.title


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("x.txt", ["<p>", "<p>", "<p>", "<!--", "<b onclick='x'>", "<!--"])  # two left open
@example("x.txt", ["<p>", "<h2>", "Leave a Reply", "<script>", "<b onclick='x'>"])  # left open
@given(
    st.sampled_from(["x.txt", "x.md", "x.html"]),
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<h2>",
                "</h2>",
                "<br>",
                "<script>",
                "</script>",
                "# ",
                "\n",
                "\n\n",
                "Leave a Reply",
                "Title Case Line",
                "A sentence here.",
                "é",
                "🙏",
                "<!--",
                "-->",
                "<b onclick='x'>",
                "</b>",
                "* ",
                "[a](b)",
                "By Jane Doe",
            ]
        ),
        max_size=30,
    ),
)
def test_any_markup_soup_gives_a_well_formed_draft_or_an_ingest_error(
    name: str, pieces: list[str]
) -> None:
    try:
        draft = read_document(name, "".join(pieces).encode())
    except IngestError:
        return
    assert_well_formed(draft)
    if draft.source_format == "html":
        assert "onclick" not in draft.text
