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
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["render_note"]

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_ALLOWED_ATTRS = frozenset({"href", "title", "start"})
_LINK_TARGET = "_blank"
_LINK_REL = "nofollow noopener noreferrer"
_HEADING_SHIFT = 3


def _is_allowed_url(url: str) -> bool:
    # markdown-it has decoded entities and percent-encoded whitespace and control characters
    # by now, so "jav&#x09;ascript:" arrives as "jav%09ascript:" and has no allowed scheme.
    return url.strip().lower().startswith(_ALLOWED_SCHEMES)


class _NoteMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # markdown-it's name for the hook
        return _is_allowed_url(url)


def _build() -> MarkdownIt:
    md = _NoteMarkdown("js-default")
    md.disable("linkify")
    return md


_MD = _build()


def render_note(source: str) -> str:
    """Render an analyst's Markdown note to HTML that is safe to put in the page."""
    tokens = _MD.parse(source)
    _sanitise(tokens)
    return _MD.renderer.render(tokens, _MD.options, {})


def _sanitise(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1:])
            token.tag = f"h{min(6, level + _HEADING_SHIFT)}"
        token.attrs = {k: v for k, v in token.attrs.items() if k in _ALLOWED_ATTRS}
        if token.children:
            token.children = _inline_without_images(token.children)
            _sanitise(token.children)
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if not _is_allowed_url(href):  # validateLink already refused these; belt and braces
                token.attrs.pop("href", None)
            token.attrs["target"] = _LINK_TARGET
            token.attrs["rel"] = _LINK_REL


def _inline_without_images(children: Sequence[Token]) -> list[Token]:
    out: list[Token] = []
    for token in children:
        if token.type != "image":
            out.append(token)
            continue
        src = str(token.attrs.get("src", ""))
        label = "".join(_plain_text(token.children or [])) or src
        text = Token("text", "", 0, content=label)
        if not _is_allowed_url(src):
            out.append(text)
            continue
        attrs: dict[str, str | int | float] = {"href": src}
        if token.attrs.get("title"):
            attrs["title"] = token.attrs["title"]
        out.append(Token("link_open", "a", 1, attrs=attrs))
        out.append(text)
        out.append(Token("link_close", "a", -1))
    return out


def _plain_text(tokens: Sequence[Token]) -> list[str]:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.extend(_plain_text(token.children))
    return parts
