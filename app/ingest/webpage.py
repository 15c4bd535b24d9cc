"""A web page (fetched, or saved as .html) → ArticleDraft, read by trafilatura.

trafilatura finds the article among the page's navigation, ads, share bars and comments,
and reads its metadata (JSON-LD, Open Graph, meta tags, bylines); htmldate finds the date
where trafilatura has none. What stays ours is said in decision record 0028 (web pages): the
corrections for a stale JSON-LD block, a `<title>` that is only the site's name, a host
name standing in for the site's name, and a byline trafilatura misread.
"""

from __future__ import annotations

import re
from datetime import date

import trafilatura
from htmldate import find_date
from lxml.etree import ParserError, _Element
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from app.ingest import limits, metadata, pagefacts
from app.ingest.dates import published_in_markup
from app.ingest.htmltext import read_html_text
from app.ingest.layout import lay_out
from app.ingest.model import ArticleDraft, IngestError, count_words
from app.ingest.pagefacts import PageFacts
from app.ingest.parsed import Parsed, TextBuilder

# A page whose article has fewer words than this, and less than half of the words the page
# shows, offers a teaser, not an article (a paywall, a consent wall, a video page); a wire
# brief is longer. A short page that is all article, or a fragment of HTML (a few saved
# paragraphs, not a page), is taken as it is.
MIN_ARTICLE_WORDS = 60
PAYWALL = "it is behind a paywall"
_WHOLE_PAGE = re.compile(r"<(?:html|head|body)\b", re.I)
_MASTHEAD_UNITS = 20  # bylines and datelines sit within the first units of the article
_MASTHEAD_WORDS = 12
_HEAD_LEVELS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset({"p", "head", "list", "table", "quote"})


def read_webpage(html: str, raw: bytes, *, url: str | None = None) -> ArticleDraft:
    """Read a page's article; `raw` is the page as received (its hash is the version)."""
    limits.check_markup(html)  # before lxml builds a tree of it
    tree = _tree(_cut_unclosed_raw_text(html))
    facts = pagefacts.read_facts(tree, url)
    pagefacts.drop_stale_json_ld(tree, facts)
    visible_bylines = list(pagefacts.bylines(tree))
    page_words = pagefacts.visible_words(tree)
    found = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        prune_xpath=["//template"],  # inert markup a browser never shows
        # Without the page-wide search htmldate reads no dates from links to other stories;
        # the article's own masthead is searched below when nothing was found.
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if found is None or isinstance(found, dict) or found.body is None:
        # No article to tell apart from the page (bare text in a page, or markup nested
        # deeper than lxml builds): the page's visible text is the article.
        return _whole_page(html, raw, facts, visible_bylines)
    words = sum(count_words(" ".join(e.itertext())) for e in found.body if e.tag != "head")
    teaser = facts.paywalled or words < page_words / 2
    if words < MIN_ARTICLE_WORDS and teaser and _WHOLE_PAGE.search(html[:4096]):
        reason = PAYWALL if facts.paywalled else "a teaser, or no article"
        raise IngestError(
            f"no readable text: the page shows only {words} words of its article ({reason})"
        )
    first_head = next((_text(h) for h in found.body.iter("head")), None)
    title, publisher = _title_and_site(found.title, found.sitename, facts, first_head, url)
    author = _author(found.author, visible_bylines)
    parsed = _parsed(found.body, title)
    limits.check_text(parsed.text, len(parsed.units))
    layout = lay_out(parsed, title=title, publisher=publisher, author=author)
    return layout.draft(
        parsed,
        raw,
        published=_date(found.date) or _masthead_date(parsed),
        canonical_url=facts.canonical_url,
        language=facts.language or found.language,
    )


_RAW_TEXT = re.compile(r"<(script|style)\b", re.I)


def _cut_unclosed_raw_text(html: str) -> str:
    """The page without a `<script>` or `<style>` that never closes: in a browser it runs
    to the end of the page and shows none of it; lxml would read what follows as markup."""
    lowered, at = html.lower(), 0
    while (opened := _RAW_TEXT.search(lowered, at)) is not None:
        close = lowered.find(f"</{opened.group(1)}", opened.end())
        if close < 0:
            return html[: opened.start()]
        at = close
    return html


def _whole_page(html: str, raw: bytes, facts: PageFacts, bylines: list[str]) -> ArticleDraft:
    parsed = read_html_text(html)
    words = count_words(parsed.text)
    if words == 0:
        raise IngestError("no readable text (no article found on the page)")
    if facts.paywalled and words < MIN_ARTICLE_WORDS:
        raise IngestError(f"no readable text: the page shows only {words} words ({PAYWALL})")
    limits.check_text(parsed.text, len(parsed.units))
    title = facts.og_title or facts.page_title or None
    layout = lay_out(parsed, title=title, author=bylines[0] if bylines else None)
    return layout.draft(
        parsed,
        raw,
        published=published_in_markup(html) or _masthead_date(parsed),
        canonical_url=facts.canonical_url,
        language=facts.language,
    )


def _tree(html: str) -> HtmlElement:
    try:
        tree = load_html(html)
    except (ParserError, ValueError):
        tree = None
    if tree is None:
        raise IngestError("no readable text (not an HTML page)")
    return tree


def _parsed(body: _Element, title: str | None) -> Parsed:
    """trafilatura's article tree (head, p, list/item, quote, table/row/cell) → units, the
    headline first as other readers give it."""
    builder = TextBuilder()
    first = body[0] if len(body) else None
    if title and not (first is not None and first.tag == "head" and _text(first) == title):
        builder.add(title, 1)
    for element in body:
        _add(element, builder)
    return builder.build("html")


def _add(element: _Element, builder: TextBuilder) -> None:
    tag = element.tag
    if tag == "list":
        for item in element.iter("item"):
            builder.add(_text(item))
    elif tag == "table":
        for row in element.iterchildren("row"):
            cells = list(row.iterchildren("cell"))
            if any(child.tag in _BLOCKS for cell in cells for child in cell):
                # A layout table: its cells hold paragraphs, not values.
                for cell in cells:
                    builder.add(" ".join((cell.text or "").split()))
                    for child in cell:
                        _add(child, builder)
                        builder.add(" ".join((child.tail or "").split()))
            else:
                texts = [" ".join(_text(cell).split()) for cell in cells]
                builder.add(" | ".join(text for text in texts if text))
    elif tag == "head":
        builder.add(" ".join(_text(element).split()), _HEAD_LEVELS.get(element.get("rend", ""), 2))
    else:
        builder.add(_text(element))


def _text(element: _Element) -> str:
    """The element's text, its <lb/> line breaks kept as new lines."""
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "").lstrip()
    text = "".join(element.itertext())
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _title_and_site(
    title: str | None, site: str | None, facts: PageFacts, first_head: str | None, url: str | None
) -> tuple[str | None, str | None]:
    title = " ".join((title or "").split()) or None
    if title and title == facts.page_title and first_head and first_head not in title:
        # A <title> that is only the site's name ("Hollis Valley Gazette") above a headline.
        return first_head, site if not pagefacts.looks_like_host(site, url) else title
    if pagefacts.looks_like_host(site, url):
        site = pagefacts.site_from_title(facts.page_title, title or "")
    return (pagefacts.strip_site(title, site) if title else None), site


def _author(found: str | None, visible: list[str]) -> str | None:
    """trafilatura's author as 'A, B and C'; the page's visible byline where trafilatura has
    none, or read something that is not a person's name ('… is the weather')."""
    names = [metadata.without_job_title(" ".join(n.split())) for n in (found or "").split(";")]
    names = [n for n in names if n]
    if names and all(metadata.is_person_name(n) for n in names):
        return metadata.join_names(names)
    return visible[0] if visible else None


def _date(value: str | None) -> str | None:
    """An ISO date, if `value` is one."""
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


def _masthead_date(parsed: Parsed) -> str | None:
    """A date in the short lines under the headline ('Tuesday, March 5, 2024'); running text
    is left out, where a year mentioned in passing is no publication date."""
    lines = [parsed.text[u.start : u.end] for u in parsed.units[:_MASTHEAD_UNITS]]
    lines = [line for line in lines if count_words(line) <= _MASTHEAD_WORDS]
    snippet = "".join(f"<p>{_escape(line)}</p>" for line in lines)
    return _date(find_date(f"<html><body>{snippet}</body></html>", original_date=True))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
