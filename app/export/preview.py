"""An exported Markdown document as HTML for the preview page, as safe as a note.

The same rules as `app.render.markdown.render_note` (markdown-it ``js-default``: raw HTML
off; links only to http, https and mailto; images never loaded; attributes on an
allow-list), plus what a whole document needs: links to its own sections (``#claim-12``)
and, on the document's own headings (not those inside a quoted note), the ids those links
point at — the slugs GitHub would give them. Headings move down one level so the page's
``<h1>`` stays the only one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.export.mdsafe import slugify

__all__ = ["render_export"]

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")
_FRAGMENT = re.compile(r"^#[\w-]+$")
_ALLOWED_ATTRS = frozenset({"href", "title", "start"})
_HEADING_SHIFT = 1


def _is_allowed(url: str) -> bool:
    url = url.strip()
    return url.lower().startswith(_ALLOWED_SCHEMES) or bool(_FRAGMENT.match(url))


class _ExportMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # markdown-it's name for the hook
        return _is_allowed(url)


def _build() -> MarkdownIt:
    md = _ExportMarkdown("js-default")
    md.disable("linkify")
    return md


_MD = _build()


def render_export(source: str) -> str:
    tokens = _MD.parse(source)
    _sanitise(tokens)
    _anchor_headings(tokens)
    return _MD.renderer.render(tokens, _MD.options, {})


def _anchor_headings(tokens: list[Token]) -> None:
    seen: dict[str, int] = {}
    depth = 0
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open":
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif token.type == "heading_open" and depth == 0 and i + 1 < len(tokens):
            slug = slugify(_text(tokens[i + 1].children or []))
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            token.attrs["id"] = slug if n == 0 else f"{slug}-{n}"


def _sanitise(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1:]) + _HEADING_SHIFT)}"
        token.attrs = {k: v for k, v in token.attrs.items() if k in _ALLOWED_ATTRS}
        if token.children:
            token.children = _without_images(token.children)
            _sanitise(token.children)
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            if not _is_allowed(href):
                token.attrs.pop("href", None)
            elif not href.startswith("#"):
                token.attrs["target"] = "_blank"
                token.attrs["rel"] = "nofollow noopener noreferrer"


def _without_images(children: Sequence[Token]) -> list[Token]:
    out: list[Token] = []
    for token in children:
        if token.type != "image":
            out.append(token)
            continue
        src = str(token.attrs.get("src", ""))
        label = Token("text", "", 0, content=_text(token.children or []) or src)
        if src.lower().startswith(_ALLOWED_SCHEMES):
            out.extend([Token("link_open", "a", 1, attrs={"href": src}), label])
            out.append(Token("link_close", "a", -1))
        else:
            out.append(label)
    return out


def _text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_text(token.children))
    return "".join(parts)
