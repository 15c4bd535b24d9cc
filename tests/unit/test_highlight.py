"""Highlights: escaped article text wrapped in well-formed, properly nested elements."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.render.highlight import Highlight, highlight


class _Tree(HTMLParser):
    """Checks nesting while reading; records, for each character, the spans around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.chars: list[tuple[str, frozenset[str]]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append((tag, dict(attrs)))
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]!r}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        around = frozenset(str(a.get("data-id")) for _, a in self.stack)
        self.chars.extend((ch, around) for ch in data)


def read(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.errors == [], html
    assert tree.stack == [], html
    return tree


def text_of(html: str) -> str:
    return "".join(ch for ch, _ in read(html).chars)


def span(start: int, end: int, ident: str, kind: str = "entity", tag: str = "mark") -> Highlight:
    return Highlight(start, end, kind, (("data-id", ident),), tag)


def coverage(text: str, spans: list[Highlight], start: int, end: int) -> list[frozenset[str]]:
    return [
        frozenset(dict(s.attrs)["data-id"] for s in spans if s.start <= i < s.end)
        for i in range(start, end)
    ]


def test_no_spans_is_just_escaped_text() -> None:
    assert highlight("Tom & Jerry <3", []) == "Tom &amp; Jerry &lt;3"


def test_nested_spans_stay_nested() -> None:
    text = "According to British estimates, 1,262 soldiers"
    html = highlight(text, [span(0, 46, "claim", "claim"), span(13, 20, "gpe")])
    assert html == (
        '<mark data-id="claim">According to <mark data-id="gpe">British</mark>'
        " estimates, 1,262 soldiers</mark>"
    )


def test_partial_overlap_splits_the_inner_element() -> None:
    text = "Arne Bård Dalhaug says so"
    spans = [span(0, 17, "person"), span(10, 22, "claim", "claim")]
    html = highlight(text, spans)
    tree = read(html)
    assert text_of(html) == text
    assert [c for _, c in tree.chars] == coverage(text, spans, 0, len(text))
    parts = [a.get("data-part") for _, a in tree.elements if a["data-id"] == "claim"]
    assert parts == ["start", "end"]
    assert all("data-part" not in a for _, a in tree.elements if a["data-id"] == "person")


def test_a_span_split_twice_is_start_middle_end() -> None:
    text = "abcdefghij"
    # x starts inside y (inside w) and outlives both, so it is cut at 4 and again at 6.
    spans = [span(0, 6, "w"), span(1, 4, "y"), span(2, 8, "x")]
    html = highlight(text, spans)
    tree = read(html)
    assert [c for _, c in tree.chars] == coverage(text, spans, 0, len(text))
    parts = [a.get("data-part") for _, a in tree.elements if a["data-id"] == "x"]
    assert parts == ["start", "middle", "end"]
    assert all("data-part" not in a for _, a in tree.elements if a["data-id"] != "x")


def test_identical_spans_nest_by_kind() -> None:
    html = highlight(
        "Putin",
        [
            span(0, 5, "ent", "entity"),
            span(0, 5, "claim", "claim"),
            span(0, 5, "bp", "boilerplate"),
        ],
    )
    assert html == (
        '<mark data-id="bp"><mark data-id="claim"><mark data-id="ent">Putin</mark></mark></mark>'
    )


def test_text_and_attribute_values_are_escaped() -> None:
    text = 'He said "<b>5 & 6</b>" it\'s'
    attrs = (("title", '"><script>alert(1)</script>'), ("data-note", "a & b < c"))
    html = highlight(text, [Highlight(8, 22, "annotation", attrs)])
    tree = read(html)
    assert text_of(html) == text
    assert [t for t, _ in tree.elements] == ["mark"]
    assert tree.elements[0][1] == {
        "title": '"><script>alert(1)</script>',
        "data-note": "a & b < c",
    }
    assert "<b>" not in html and "<script>" not in html


@pytest.mark.parametrize(
    ("tag", "attrs"),
    [
        ("mark onclick", ()),
        ("mark", (("onclick", "alert(1)"),)),
        ("mark", (("ONMOUSEOVER", "x"),)),
        ("mark", (('x" y', "1"),)),
        ("mark", (("data-part", "start"),)),
    ],
)
def test_bad_tag_or_attribute_names_are_refused(tag: str, attrs: tuple[tuple[str, str]]) -> None:
    with pytest.raises(ValueError, match="not"):
        highlight("text", [Highlight(0, 4, "entity", attrs, tag)])


def test_other_tags_are_used() -> None:
    html = highlight("see Putin", [Highlight(4, 9, "entity", (("href", "/entities/1"),), "a")])
    assert html == 'see <a href="/entities/1">Putin</a>'


def test_emoji_and_non_bmp_offsets_are_code_points() -> None:
    text = "peace ✍🏼🙏 and happiness"
    start = text.index("🙏")
    html = highlight(text, [span(start, start + 1, "pray"), span(6, 8, "write")])
    tree = read(html)
    assert text_of(html) == text
    assert "".join(ch for ch, ids in tree.chars if "pray" in ids) == "🙏"
    assert "".join(ch for ch, ids in tree.chars if "write" in ids) == "✍🏼"


def test_zero_length_spans_are_ignored() -> None:
    assert highlight("abc", [span(1, 1, "empty"), span(3, 3, "end")]) == "abc"


def test_span_ending_before_it_starts_is_an_error() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        highlight("abc", [span(2, 1, "bad")])


def test_range_outside_the_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        highlight("abc", [], start=2, end=5)


def test_one_paragraph_with_spans_crossing_its_edges() -> None:
    text = "First paragraph ends here.\nSecond one starts here."
    para = text.index("\n") + 1
    spans = [
        span(6, para + 6, "crossing", "annotation"),  # from paragraph 1 into paragraph 2
        span(para, para + 6, "at-edge"),  # exactly at the paragraph's start
        span(para + 7, len(text) - 1, "inside"),
        span(0, 5, "before"),  # wholly in paragraph 1
    ]
    html = highlight(text, spans, start=para, end=len(text))
    tree = read(html)
    assert text_of(html) == "Second one starts here."
    assert [c for _, c in tree.chars] == coverage(text, spans, para, len(text))
    by_id = {a["data-id"]: a.get("data-part") for _, a in tree.elements}
    assert by_id == {"crossing": "end", "at-edge": None, "inside": None}


def test_span_covering_a_whole_paragraph_from_outside_is_middle() -> None:
    text = "one\ntwo\nthree"
    html = highlight(text, [span(0, len(text), "all")], start=4, end=7)
    assert html == '<mark data-id="all" data-part="middle">two</mark>'


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_property_well_formed_and_faithful(data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet=st.sampled_from("ab <>&\"'✍🏼🙏é\n"), max_size=40))
    n = len(text)
    bounds = st.integers(0, n)
    raw = data.draw(st.lists(st.tuples(bounds, bounds), max_size=12))
    kinds = st.sampled_from(["entity", "claim", "annotation", "boilerplate", "other"])
    spans = [span(min(a, b), max(a, b), str(i), data.draw(kinds)) for i, (a, b) in enumerate(raw)]
    lo = data.draw(st.integers(0, n))
    hi = data.draw(st.integers(lo, n))
    html = highlight(text, spans, start=lo, end=hi)
    tree = read(html)
    assert "".join(ch for ch, _ in tree.chars) == text[lo:hi]
    assert [c for _, c in tree.chars] == coverage(text, spans, lo, hi)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_each_block_gets_the_spans_that_overlap_it_in_one_sweep(data: st.DataObject) -> None:
    from types import SimpleNamespace

    from app.render.article import _by_block

    cuts = sorted(data.draw(st.sets(st.integers(1, 199), max_size=12)))
    bounds = list(zip([0, *cuts], [*cuts, 200], strict=True))
    blocks = [SimpleNamespace(start=s, end=e) for s, e in bounds if e > s]
    starts = data.draw(st.lists(st.integers(0, 199), max_size=40))
    spans = [
        span(s, data.draw(st.integers(s + 1, 200)), f"s{i}", data.draw(st.sampled_from(["e", "c"])))
        for i, s in enumerate(starts)
    ]
    swept = list(_by_block(spans, blocks))
    # Every span compared with every block, in the spans' own order among equal starts.
    expected = [
        sorted((s for s in spans if s.start < b.end and b.start < s.end), key=lambda s: s.start)
        for b in blocks
    ]
    assert swept == expected
