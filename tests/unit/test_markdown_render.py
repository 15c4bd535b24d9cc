"""Analysts' notes: Markdown renders to HTML that cannot run script or drive htmx."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.render.markdown import render_note


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1].tag == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for element in self.open:
            element.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


FORBIDDEN_TAGS = {"script", "img", "iframe", "object", "embed", "style", "svg", "form", "input"}
FORBIDDEN_TAGS |= {"base", "meta", "link"}


def assert_inert(html: str) -> None:
    """No element may run script, load a resource, carry style or talk to htmx."""
    for el in parse(html).elements:
        assert el.tag not in FORBIDDEN_TAGS, html
        for name, value in el.attrs.items():
            assert not name.startswith("on"), html
            assert not name.startswith(("hx-", "data-hx-")), html
            assert name not in {"style", "src", "srcset", "action", "formaction"}, html
            if name == "class":
                assert (value or "").startswith("language-"), html
        if "href" in el.attrs:
            assert urlsplit(el.attrs["href"] or "").scheme in {"http", "https", "mailto"}, html


def links(html: str) -> list[Element]:
    return [el for el in parse(html).elements if el.tag == "a"]


ATTACKS = [
    "<script>alert(1)</script>",
    "before <script>alert(1)</script> after",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](jav&#X61;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    '[click][ref]\n\n[ref]: https://example.org "t\\" onmouseover=\\"alert(1)"',
    "<img src=x onerror=alert(1)>",
    "![x](x onerror=alert(1))",
    '![x](https://example.org/a.png" onerror="alert(1))',
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](javascript:alert(1))",
    '<div hx-get="/api/annotations" hx-trigger="load">x</div>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<span style="position:fixed;inset:0">cover</span>',
    "<iframe src=https://example.org></iframe>",
    "<svg onload=alert(1)>",
    "```html\n<script>alert(1)</script>\n```",
    '```js" onclick="alert(1)\ncode\n```',
    "| a | b |\n|:--|--:|\n| <b onmouseover=x>1</b> | 2 |",
    "<!-- comment --><style>body{display:none}</style>",
    '[x](https://example.org "title\\" onclick=\\"alert(1)")',
]


@pytest.mark.parametrize("source", ATTACKS)
def test_attacks_render_inert(source: str) -> None:
    assert_inert(render_note(source))


@pytest.mark.parametrize(
    "source",
    [
        "[click](javascript:alert(1))",
        "[click](jav&#x09;ascript:alert(1))",
        "[click](data:text/html,x)",
        "[click](/articles/3)",
        "[click](//example.org/x)",
        "[click](#top)",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ],
)
def test_refused_links_are_plain_text_showing_the_source(source: str) -> None:
    html = render_note(source)
    assert links(html) == []
    assert "click" in "".join(parse(html).text) or "javascript" in "".join(parse(html).text)


def test_raw_html_is_shown_as_text() -> None:
    html = render_note("<script>alert(1)</script>")
    assert "".join(parse(html).text).strip() == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[site](https://example.org/a?b=1&c=2)", "https://example.org/a?b=1&c=2"),
        ("[site](http://example.org)", "http://example.org"),
        ("[mail](mailto:ana@example.org)", "mailto:ana@example.org"),
        ("<https://example.org/x>", "https://example.org/x"),
        ("<ana@example.org>", "mailto:ana@example.org"),
        ("[site][r]\n\n[r]: https://example.org/ref", "https://example.org/ref"),
    ],
)
def test_allowed_links_open_in_a_new_tab_without_opener(source: str, href: str) -> None:
    (link,) = links(render_note(source))
    assert link.attrs["href"] == href
    assert link.attrs["target"] == "_blank"
    assert set((link.attrs["rel"] or "").split()) == {"nofollow", "noopener", "noreferrer"}


def test_image_becomes_a_link_with_its_alt_text() -> None:
    html = render_note('![map of *Donetsk*](https://example.org/map.png "Front line")')
    assert not [el for el in parse(html).elements if el.tag == "img"]
    (link,) = links(html)
    assert link.attrs["href"] == "https://example.org/map.png"
    assert link.attrs["title"] == "Front line"
    assert "".join(link.text) == "map of Donetsk"


def test_image_without_alt_text_is_labelled_with_its_url() -> None:
    (link,) = links(render_note("![](https://example.org/x.png)"))
    assert "".join(link.text) == "https://example.org/x.png"


def test_headings_are_demoted() -> None:
    tags = [
        el.tag for el in parse(render_note("# One\n\n## Two\n\n### Three\n\n#### Four")).elements
    ]
    assert tags == ["h4", "h5", "h6", "h6"]


def test_setext_heading_is_demoted_too() -> None:
    tags = [el.tag for el in parse(render_note("Title\n=====")).elements]
    assert tags == ["h4"]


def test_table_alignment_carries_no_style() -> None:
    html = render_note("| a | b |\n|:--|--:|\n| 1 | 2 |")
    cells = [el for el in parse(html).elements if el.tag in {"td", "th"}]
    assert len(cells) == 4
    assert all(el.attrs == {} for el in cells)


def test_ordinary_markdown_still_renders() -> None:
    html = render_note(
        "Figures **disagree**: 20,000 vs *25,000–30,000* a month.\n\n"
        "- MoD estimate\n- `RKS NEWS`\n\n> quoted\n\n3. third\n4. fourth"
    )
    tags = [el.tag for el in parse(html).elements]
    for tag in ("p", "strong", "em", "ul", "li", "code", "blockquote", "ol"):
        assert tag in tags
    ol = next(el for el in parse(html).elements if el.tag == "ol")
    assert ol.attrs == {"start": "3"}
    assert "20,000 vs 25,000–30,000" in "".join(parse(html).text)


def test_text_with_html_special_characters_is_escaped() -> None:
    html = render_note('5 < 6 & "quotes" > 4')
    assert "".join(parse(html).text).strip() == '5 < 6 & "quotes" > 4'
    assert "<" not in html.replace("<p>", "").replace("</p>", "")


_PIECES = (*"<>[]()!*`#", "javascript:", "data:", "https://x.org", "onerror=", "hx-get=")
_PIECES += ("&#x09;", "img", "a")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, '"', "'", "\n", " "]), max_size=40).map("".join))
def test_property_random_markup_is_inert(source: str) -> None:
    assert_inert(render_note(source))
