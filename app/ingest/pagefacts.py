"""What a web page says about itself outside its article text, read from its markup.

trafilatura reads most of it; these are the facts it leaves out (the page's own address,
its declared language, its `<title>` as written) and the one correction it needs before it
reads: JSON-LD that describes another article is dropped, so it cannot outvote the page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement
from rapidfuzz import fuzz

from app.ingest import metadata
from app.ingest.model import count_words

_ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "ReportageNewsArticle", "BlogPosting", "LiveBlogPosting",
     "AnalysisNewsArticle", "OpinionNewsArticle", "ScholarlyArticle", "Report"}
)  # fmt: skip
_SEPARATORS = (" | ", " – ", " — ", " - ", " · ", " • ", " :: ", ": ", " » ")
_INVISIBLE = frozenset({"script", "style", "template", "noscript"})
_SAME_HEADLINE = 85  # fuzzy ratio at which two headlines are one


@dataclass(frozen=True)
class PageFacts:
    page_title: str  # the <title> as written, spaces collapsed
    canonical_url: str | None
    language: str | None
    og_title: str | None
    paywalled: bool  # the page declares its article is not free to read


def read_facts(tree: HtmlElement, url: str | None) -> PageFacts:
    titles = tree.xpath("//head/title")
    page_title = _clean(titles[0].text_content()) if titles else ""
    og_title = _meta(tree, "og:title")
    return PageFacts(
        page_title=page_title,
        canonical_url=_canonical(tree, url),
        language=_language(tree),
        og_title=og_title,
        paywalled=any(obj.get("isAccessibleForFree") in (False, "False", "false")
                      for obj in _article_objects(tree)),
    )  # fmt: skip


def drop_stale_json_ld(tree: HtmlElement, facts: PageFacts) -> None:
    """Remove JSON-LD article blocks whose headline is not the page's and whose url is not
    its canonical address: a CMS that kept an old block describes another story, and its
    author and date would win over the byline and dateline the reader sees."""
    visible = [t for t in (facts.og_title, *_headings(tree)) if t]
    if not visible:
        return
    for script in _json_ld_scripts(tree):
        objects = list(_articles_in(_parse(script.text_content())))
        if objects and all(_describes_other(obj, visible, facts) for obj in objects):
            script.drop_tree()


def site_from_title(page_title: str, headline: str) -> str | None:
    """The site's name in a `<title>`, the part that is not the headline:
    'Headline | News | Site' → 'Site', 'Site - Headline' → 'Site'."""
    at = page_title.find(headline) if headline else -1
    if at < 0:
        return None
    before, after = page_title[:at], page_title[at + len(headline) :]
    for rest, last in ((after, True), (before, False)):
        parts = _split(rest)
        if parts:
            site = parts[-1] if last else parts[0]
            if 0 < len(site) <= 60:
                return site
    return None


def strip_site(title: str, site: str | None) -> str:
    """'Headline - Site' or 'Site | Headline' → 'Headline' when Site is the known site."""
    if not site:
        return title
    for separator in _SEPARATORS:
        if title.endswith(separator + site):
            return title[: -len(separator + site)].strip()
        if title.startswith(site + separator):
            return title[len(site + separator) :].strip()
    return title


def looks_like_host(name: str | None, url: str | None) -> bool:
    """trafilatura falls back to the host name when a page names no site."""
    if not name:
        return True
    host = (urlsplit(url).netloc if url else "").lower()
    plain = name.lower().removeprefix("www.")
    return plain == host.removeprefix("www.") or (" " not in name and "." in name)


def bylines(tree: HtmlElement) -> Iterator[str]:
    """Authors of the visible "By …" lines, in page order."""
    for element in tree.iter("p", "div", "span", "li", "address", "b", "strong", "em", "i"):
        lead = (element.text or "").strip().lower()
        if lead in ("by", "written by") or lead.startswith(("by ", "by\xa0", "written by ")):
            text = _clean(element.text_content())[:200]
            author = metadata.byline_author(text.split(" · ")[0])
            if author:
                yield author


def visible_words(tree: HtmlElement) -> int:
    """Words the page shows (scripts and styles left out), in one walk of the tree."""
    words = 0
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag not in _INVISIBLE:
            words += count_words(element.text or "")
        words += count_words(element.tail or "")
    return words


def _describes_other(obj: dict, visible: list[str], facts: PageFacts) -> bool:
    headline = obj.get("headline") or obj.get("name")
    if not isinstance(headline, str):
        return False
    same = any(fuzz.ratio(headline.casefold(), v.casefold()) >= _SAME_HEADLINE for v in visible)
    address = obj.get("url") or obj.get("mainEntityOfPage")
    if isinstance(address, dict):
        address = address.get("@id")
    same_address = not isinstance(address, str) or address == facts.canonical_url
    return not same and not same_address


def _headings(tree: HtmlElement) -> list[str]:
    return [_clean(h.text_content()) for h in tree.iter("h1", "h2", "h3")][:8]


def _json_ld_scripts(tree: HtmlElement) -> list[HtmlElement]:
    return list(tree.xpath('//script[@type="application/ld+json"]'))


def _article_objects(tree: HtmlElement) -> Iterator[dict]:
    for script in _json_ld_scripts(tree):
        yield from _articles_in(_parse(script.text_content()))


def _parse(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _articles_in(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _articles_in(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _articles_in(data["@graph"])
        kinds = data.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(k in _ARTICLE_TYPES for k in kinds if isinstance(k, str)):
            yield data


def _canonical(tree: HtmlElement, url: str | None) -> str | None:
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        if href.strip():
            return urljoin(url or "", href.strip())
    og_url = _meta(tree, "og:url")
    return urljoin(url or "", og_url) if og_url else None


def _language(tree: HtmlElement) -> str | None:
    declared = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    declared = declared or _meta(tree, "og:locale") or _meta(tree, "content-language")
    if not declared:
        return None
    code = declared.strip().replace("_", "-").split("-")[0].lower()
    return code if len(code) == 2 and code.isalpha() else None


def _meta(tree: HtmlElement, name: str) -> str | None:
    for attr in ("property", "name", "http-equiv"):
        for content in tree.xpath(f'//meta[@{attr}="{name}"]/@content'):
            if content.strip():
                return _clean(content)
    return None


def _split(rest: str) -> list[str]:
    parts = [f" {rest.strip()} "]
    for separator in _SEPARATORS:
        parts = [p for part in parts for p in part.split(separator)]
    return [p.strip() for p in parts if p.strip()]


def _clean(value: str) -> str:
    return " ".join(value.split())
