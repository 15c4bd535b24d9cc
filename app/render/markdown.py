"""Safe HTML for analysts' notes written in Markdown.

Decisions (what a note may contain once rendered):

- Raw HTML is off (markdown-it-py ``js-default``): ``<script>``, ``<img onerror>``,
  ``<div hx-get>`` and the like are shown as text. Linkify stays off: it needs an extra
  package and bare URLs are readable as they are.
- Links keep only absolute ``http:``, ``https:`` and ``mailto:`` URLs. Anything else
  (``javascript:``, ``data:``, ``vbscript:``, relative and protocol-relative links, however
  spelled) is not a link: the Markdown source stays visible as plain text, so the analyst
  sees what was written. Notes are exported, and a relative link means nothing outside the
  app, so it is refused too.
- Links open in a new tab, so the reading page keeps its scroll and selection, with
  ``rel="nofollow noopener noreferrer"``: the new page gets no handle on the app's window
  and no Referer naming the local URL.
- Images are never loaded (a note must not make the browser fetch a remote URL): an image
  becomes a link to its URL labelled with its alt text.
- Headings are demoted by three levels (``#`` → ``<h4>``), so a note cannot outrank the
  page's own headings.
- Every attribute outside a small allow-list is dropped, which removes the ``style`` that
  table alignment would add; no element can carry ``on*``, ``hx-*``, ``style`` or ``class``
  beyond a code block's ``language-*``.

An exported document previewed as a page (`render_export`) follows the same rules, plus
what a whole document needs: links to its own sections (``#claim-12``), ids on its own
headings (not those inside a quoted note) with the slugs GitHub would give them, and
headings moved down one level only, so the page's ``<h1>`` stays the only one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.export.mdsafe import slugify

__all__ = ["note_text", "render_export", "render_note"]

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_FRAGMENT = re.compile(r"^#[\w-]+$")
_ALLOWED_ATTRS = frozenset({"href", "title", "start"})
_LINK_TARGET = "_blank"
_LINK_REL = "nofollow noopener noreferrer"


class SafeMarkdown:
    """markdown-it ``js-default`` with the rules above; `fragments` also allows links to
    ``#sections`` of the same document."""

    def __init__(self, *, heading_shift: int, fragments: bool = False) -> None:
        self.heading_shift = heading_shift
        self.fragments = fragments
        self.md = _Parser("js-default", allowed=self.allowed)
        self.md.disable("linkify")

    def allowed(self, url: str) -> bool:
        # markdown-it has decoded entities and percent-encoded whitespace and control
        # characters by now, so "jav&#x09;ascript:" arrives as "jav%09ascript:".
        url = url.strip()
        if self.fragments and _FRAGMENT.match(url):
            return True
        return url.lower().startswith(_ALLOWED_SCHEMES)

    def parse(self, source: str) -> list[Token]:
        tokens = self.md.parse(source)
        self._sanitise(tokens)
        return tokens

    def render(self, tokens: list[Token]) -> str:
        return str(self.md.renderer.render(tokens, self.md.options, {}))

    def _sanitise(self, tokens: list[Token]) -> None:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1:]) + self.heading_shift)}"
            token.attrs = {k: v for k, v in token.attrs.items() if k in _ALLOWED_ATTRS}
            if token.children:
                token.children = self._without_images(token.children)
                self._sanitise(token.children)
            if token.type == "link_open":
                href = str(token.attrs.get("href", ""))
                if not self.allowed(href):  # validateLink refused these already
                    token.attrs.pop("href", None)
                elif not href.startswith("#"):
                    token.attrs["target"] = _LINK_TARGET
                    token.attrs["rel"] = _LINK_REL

    def _without_images(self, children: Sequence[Token]) -> list[Token]:
        out: list[Token] = []
        for token in children:
            if token.type != "image":
                out.append(token)
                continue
            src = str(token.attrs.get("src", ""))
            text = Token("text", "", 0, content=plain_text(token.children or []) or src)
            if not src.lower().startswith(_ALLOWED_SCHEMES):
                out.append(text)
                continue
            attrs: dict[str, str | int | float] = {"href": src}
            if token.attrs.get("title"):
                attrs["title"] = token.attrs["title"]
            out.extend([Token("link_open", "a", 1, attrs=attrs), text])
            out.append(Token("link_close", "a", -1))
        return out


class _Parser(MarkdownIt):
    def __init__(self, preset: str, *, allowed: object) -> None:
        super().__init__(preset)
        self._allowed = allowed

    def validateLink(self, url: str) -> bool:  # markdown-it's name for the hook
        return bool(self._allowed(url))  # type: ignore[operator]


def plain_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(plain_text(token.children))
    return "".join(parts)


_NOTES = SafeMarkdown(heading_shift=3)
_DOCUMENTS = SafeMarkdown(heading_shift=1, fragments=True)


def render_note(source: str) -> str:
    """Render an analyst's Markdown note to HTML that is safe to put in the page."""
    return _NOTES.render(_NOTES.parse(source))


def note_text(source: str) -> str:
    """A note's words without their Markdown: what search indexes and shows."""
    parts = []
    for token in _NOTES.parse(source):
        if token.type == "inline":
            parts.append(plain_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return " ".join(" ".join(parts).split())


def render_export(source: str) -> str:
    """Render an exported Markdown document for its preview page."""
    tokens = _DOCUMENTS.parse(source)
    _anchor_headings(tokens)
    return _DOCUMENTS.render(tokens)


def _anchor_headings(tokens: list[Token]) -> None:
    seen: dict[str, int] = {}
    depth = 0
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "heading_open" and depth == 0 and i + 1 < len(tokens):
            slug = slugify(plain_text(tokens[i + 1].children or []))
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            token.attrs["id"] = slug if n == 0 else f"{slug}-{n}"
