"""Documents of a given size and shape for `bench.pathological` (and the tests).

Each shape is a document a scraper, a careless export or a hostile upload can produce, and
each stresses a stage: the same sentence thousands of times (all-pairs comparisons, caches
keyed by text), prose without a line break or a space (scans back to the line start,
regular expressions that backtrack over a long token), markup that nests or never closes
(the HTML tree), runs of punctuation, quotes and numbers (the claim and figure rules), many
names and brackets (entity rules), many lines (one block each). `make(shape, size)`
returns the bytes, about `size` long, and the file name they are uploaded under; shape
"json" is sent as pasted text.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import count

from bench.corpus import CorpusParams, Generator

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class Shape:
    name: str
    suffix: str  # ".txt", ".html", ".md", or ".json" for pasted text
    pieces: Callable[[], Iterator[str]]  # endless: the document is its first `size` bytes
    head: str = ""
    tail: str = ""
    about: str = ""


def _repeat(piece: str) -> Callable[[], Iterator[str]]:
    def pieces() -> Iterator[str]:
        while True:
            yield piece

    return pieces


@cache
def _prose_paragraphs() -> tuple[str, ...]:
    """Paragraphs of the benchmark corpus: seed sentences recombined, with new words,
    names and numbers (see bench.corpus), so nothing repeats."""
    out: list[str] = []
    for article in Generator(CorpusParams()).articles(0, 120):
        out += [p for p in article.text.split("\n\n") if len(p) > 200]
    return tuple(out)


def _prose() -> Iterator[str]:
    """Varied prose, paragraph by paragraph, never twice the same: past the generated
    paragraphs, numbers are shifted and sentences shuffled."""
    rng = random.Random(7)
    paragraphs = _prose_paragraphs()
    for round_ in count():
        for paragraph in paragraphs:
            if round_:
                sentences = paragraph.split(". ")
                rng.shuffle(sentences)
                paragraph = ". ".join(sentences).replace("0", str(rng.randint(1, 9)))
            yield paragraph + "\n\n"


def _prose_one_line() -> Iterator[str]:
    for paragraph in _prose():
        yield paragraph.replace("\n", " ")


_FIRST = "Anna Boris Chen Dmitri Elena Farid Greta Hugo Ines Jonas Karim Lena Mikhail"
_LAST = "Petrov Smith Kowalski Nguyen Okafor Larsen Haddad Rossi Tanaka Novak Berg"
_PLACES = "Kharkiv Donetsk Odesa Kursk Tbilisi Riga Minsk Baku Yerevan Almaty"
_ORGS = ["Ministry of Defence", "Central Bank", "Atlantic Council", "Red Cross", "World Bank"]


def _dense() -> Iterator[str]:
    """Sentences packed with figures, names, places, outlets and acronyms."""
    rng = random.Random(11)
    for n in count():
        who = f"{rng.choice(_FIRST.split())} {rng.choice(_LAST.split())}{n % 97}"
        org = rng.choice(_ORGS)
        acronym = "".join(w[0] for w in org.split() if w[0].isupper()) + str(n % 89)
        yield (
            f"{who} of the {org} ({acronym}) said {rng.randint(2, 999):,},{rng.randint(100, 999)}"
            f" troops and {rng.randint(1, 99)}% of {rng.randint(2, 9)}.{rng.randint(1, 9)} million"
            f" residents left {rng.choice(_PLACES.split())} on May {rng.randint(1, 28)},"
            f" according to Reuters and NATO, up from {rng.randint(10, 90)}"
            f" in {rng.randint(1995, 2024)}. "
        )
        if n % 6 == 5:
            yield "\n\n"


def _numbered(template: str) -> Callable[[], Iterator[str]]:
    def pieces() -> Iterator[str]:
        for n in count():
            yield template.format(n=n)

    return pieces


_MARKDOWN = (
    "> > > > > > > > quoted *emphasis **strong _under ***mixed `code [link [nested [deep\n"
    "- item\n  - item\n    - item\n      - item [ref]: <http://x\n"
    "***a **b *c _d __e ~~f [g](h [i](j <k> ![l](m\n\n"
    "| a | b | c |\n|---|---|---|\n| [x | *y | `z |\n\n"
    "Text with a trailing backslash\\\n<div>raw <b>html\n\n"
)

_NEWS_HEAD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Council weighs the budget – The Bench Courier</title>"
    '<meta property="og:site_name" content="The Bench Courier">'
    '<link rel="canonical" href="https://courier.example/news/budget">'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Council '
    'weighs the budget", "datePublished": "2024-05-02", "author": {"@type": "Person", '
    '"name": "Ana Petrova"}}</script></head><body><header><nav><a href="/">Home</a> '
    '<a href="/news">News</a> <a href="/sport">Sport</a></nav></header><main><article>'
    '<h1>Council weighs the budget</h1><p class="byline">By Ana Petrova</p>'
)
_NEWS_TAIL = (
    '</article><aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li></ul>'
    "</aside></main><footer>© The Bench Courier</footer></body></html>"
)


def _news_page() -> Iterator[str]:
    """The article's paragraphs, with the furniture a news page puts between them."""
    for n, paragraph in enumerate(_prose()):
        yield f"<p>{paragraph}</p>\n"
        if n % 4 == 3:
            yield (
                '<div class="ad"><p>Advertisement</p></div><div class="share"><a href="#">'
                f'Share</a> <a href="#">Tweet</a></div><figure><img src="/i/{n}.jpg" alt="">'
                f"<figcaption>Photo {n} (Bench Courier)</figcaption></figure>\n"
            )


SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Shape("repeated sentence", ".txt", _repeat("The officials said 5 people died. "),
              about="one sentence, repeated on one line"),
        Shape("varied prose", ".txt", _prose, about="recombined seed sentences, paragraphs"),
        Shape("prose, one line", ".txt", _prose_one_line, about="varied prose, no newline"),
        Shape("no spaces", ".txt", _repeat("Officials.said.5.people.died."),
              about="one token, dots inside"),
        Shape("punctuation runs", ".txt", _repeat("Wait" + "." * 500 + "!" * 500 + "?" * 500),
              about="long runs of . ! ? with no space"),
        Shape("many short lines", ".txt", _numbered("Word{n}\n"), about="one block per line"),
        Shape("figures and names", ".txt", _dense, about="dense figures, names, acronyms"),
        Shape("numbers, one sentence", ".txt", _numbered("{n} and "), head="Counts were ",
              about="numbers with no sentence end"),
        Shape("quotes, one sentence", ".txt",
              _numbered("“Yes {n},” said Anna Petrov “and then ”"), head="Then ",
              about="quotation marks, no sentence end"),
        Shape("combining marks", ".txt", _repeat("a\u0301\u0316\u0300\u0317 "),
              head="Zalgo text. ", about="letters under stacks of combining marks"),
        Shape("html unclosed inline", ".html",
              _numbered('<b>bold {n} <i>italic <span>span <a href="#{n}">link '),
              head="<html><body><p>", about="inline tags never closed"),
        Shape("html &amp;", ".html", _repeat("&amp;" * 99 + " and "),
              head="<html><body><p>Tom ", about="entity references"),
        Shape("html many <p>", ".html", _numbered("<p>Paragraph {n} of the page text.\n"),
              head="<html><body>", about="unclosed paragraphs"),
        Shape("html many tags", ".html", _numbered('<span class="c{n}">word{n}</span> '),
              head="<html><body><p>", about="closed inline tags"),
        Shape("html deep nesting", ".html", _repeat("<div>"), head="<html><body>",
              tail="Deep text at the bottom of the page.</body></html>",
              about="nested blocks"),
        Shape("html nested articles", ".html",
              _numbered("<article><header><h2>Head {n}</h2></header><p>Text {n}.</p>"),
              head="<html><body>", about="article and header inside each other"),
        Shape("html heavy markup", ".html",
              _numbered('<div class="c{n}" style="' + "margin:0;" * 40 + '" data-id="{n}">'
                        '<span title="' + "x" * 200 + '">Short paragraph {n}.</span></div>\n'),
              head="<html><body>", about="much markup, little text"),
        Shape("html news page", ".html", _news_page, head=_NEWS_HEAD, tail=_NEWS_TAIL,
              about="a news site's page: menus, ads, share bars, JSON-LD, long article"),
        Shape("long words", ".txt", _repeat("w" * 99 + " "), about="100-letter words"),
        Shape("markdown", ".md", _repeat(_MARKDOWN), about="nesting, unclosed emphasis"),
        Shape("json", ".json", _repeat("word "), about='{"text": "word word …"}'),
    )
}  # fmt: skip


def make(name: str, size: int) -> tuple[str, bytes]:
    """The file name and bytes of a `name` document of about `size` bytes."""
    shape = SHAPES[name]
    budget = size - len(shape.head.encode()) - len(shape.tail.encode())
    parts: list[str] = [shape.head]
    used = 0
    for piece in shape.pieces():
        n = len(piece.encode())
        if used + n > budget and used:
            break
        parts.append(piece)
        used += n
    parts.append(shape.tail)
    text = "".join(parts)
    slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    if shape.suffix == ".json":
        return f"{slug}.json", json.dumps({"text": text}).encode()
    return f"{slug}{shape.suffix}", text.encode()
