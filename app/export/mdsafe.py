"""Putting other people's text into a Markdown document without letting it change the
document's structure.

- Plain text (titles, quotes, names, link notes) is escaped so it renders as itself.
- An analyst's note keeps its Markdown but is contained: it goes inside a blockquote (every
  line prefixed, so nothing can close it early: an unbalanced code fence ends with the
  quote), its headings are demoted three levels (``#`` → ``####``) below the export's own
  ``#``–``###``, and raw HTML is backslash-escaped so that a renderer with HTML on shows it
  as text, as markdown-it's ``js-default`` does. An image becomes a link to its picture
  (``![chart](https://…)`` → ``\\![chart](https://…)``): a Markdown viewer would fetch a
  remote image when the document is opened, telling its server who reads it. A note whose
  heading would take a section's anchor (``# Claim 12`` → slug ``claim-12``) keeps the
  text but loses the heading. If a note still is not contained after a few passes, it is
  shown verbatim in a code fence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["contain_note", "escape_text", "slugify", "is_contained"]

NOTE_HEADING_SHIFT = 3
MIN_NOTE_HEADING = 4

# Characters with a meaning in inline Markdown (js-default: tables and ~~strikethrough~~ on).
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<>#|~&]|(?<![^\W_])_|_(?![^\W_]))")
_LINE_START_SPECIAL = re.compile(r"^([-+=])|^(\d{1,9})([.)])")
_MAYBE_SPECIAL = re.compile(r"[\\`*\[\]<>#|~&_]|^[-+=\d]")
# Container markers before a block's content: blockquote ">" and list-item bullets/numbers.
_CONTAINER = r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*"
_ATX = re.compile(rf"^({_CONTAINER})(#{{1,6}})(?=[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(rf"^({_CONTAINER})(=+|-+)[ \t]*$")
_CONTENT_START = re.compile(rf"^({_CONTAINER})")
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*>"  # a URI autolink
    r"|<[\w.!#$%&'*+/=?^`{|}~-]+@[\w.-]+>"  # an e-mail autolink
)
_RESERVED_SLUG = re.compile(r"^(claim|note|group)-\d+")
_PASSES = 4

# Parses notes as the preview does (js-default) but with HTML on, to find any HTML in them.
_DETECT = MarkdownIt("js-default", {"html": True})


@lru_cache(maxsize=8192)  # names, kinds, titles and attributions repeat across an export
def escape_text(text: str) -> str:
    """Plain text as inline Markdown that renders as exactly that text, on one line."""
    one_line = " ".join(text.split())
    if not _MAYBE_SPECIAL.search(one_line):
        return one_line
    escaped = _INLINE_SPECIAL.sub(r"\\\1", one_line)
    return _LINE_START_SPECIAL.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
    )


def slugify(text: str) -> str:
    """The anchor GitHub (and the export preview) gives a heading with this text."""
    kept = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return kept.replace(" ", "-")


def contain_note(body: str) -> list[str]:
    """The note as blockquote lines ("> ..."), contained as the module docstring says."""
    lines = _normalise(body)
    if not _plain(lines):
        lines = _contain(lines, body)
    # Trailing spaces are kept: two of them are a hard line break.
    return [f"> {line}" if line.strip() else ">" for line in lines] or [">"]


def _contain(lines: list[str], body: str) -> list[str]:
    tokens: list[Token] = []
    for _ in range(_PASSES):
        # A pass that changes nothing leaves the tokens of the text as it stands, so the
        # check below needs no parse of its own (notes are parsed once in the common case).
        tokens = _DETECT.parse("\n".join(lines))
        if not _contain_pass(lines, tokens):
            break
        tokens = []
    while lines and not lines[-1].strip():
        lines.pop()
    if not _contained(tokens or _DETECT.parse("\n".join(lines))):
        return _fenced(_normalise(body))
    return lines


def _plain(lines: list[str]) -> bool:
    """Nothing to contain: HTML needs a "<", a heading a "#" or a setext underline, an
    image a "![" ."""
    return not any(
        "<" in line or "#" in line or "![" in line or _SETEXT_UNDERLINE.match(line)
        for line in lines
    )


def is_contained(source: str) -> bool:
    """No raw HTML, no image, no heading above the note level, no heading that takes a
    section anchor."""
    return _contained(_DETECT.parse(source))


def _contained(tokens: list[Token]) -> bool:
    for token in _walk(tokens):
        if token.type in ("html_block", "html_inline", "image"):
            return False
        if token.type == "heading_open" and int(token.tag[1:]) < MIN_NOTE_HEADING:
            return False
    return not any(_reserved(h) for h in _heading_texts(tokens))


def _normalise(body: str) -> list[str]:
    text = body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    lines = [_expand_indent(line) for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _expand_indent(line: str) -> str:
    """Tabs in a line's indentation and container markers as spaces: behind the "> " that
    contains the note, a tab would otherwise reach a different tab stop (and "\t#", code in
    the note, would become a heading)."""
    m = _CONTENT_START.match(line)
    if m is None or "\t" not in m.group(0):
        return line
    return m.group(0).expandtabs(4) + line[m.end() :]


def _walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for t in tokens:
        out.append(t)
        if t.children:
            out.extend(_walk(t.children))
    return out


def _heading_texts(tokens: list[Token]) -> list[str]:
    return [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and i + 1 < len(tokens)
    ]


def _reserved(heading: str) -> bool:
    return bool(_RESERVED_SLUG.match(slugify(heading)))


def _contain_pass(lines: list[str], tokens: list[Token]) -> bool:
    """One pass over the parsed note; True if it changed anything (then parse again)."""
    code = {i for t in tokens if t.type in ("fence", "code_block") and t.map for i in range(*t.map)}
    changed = False
    for i, t in enumerate(tokens):
        if t.map is None:
            continue
        first, last = t.map
        if t.type == "html_block":
            for n in range(first, last):
                changed |= _escape_line_start_html(lines, n)
        if t.type == "heading_open":
            changed |= _demote(lines, t, tokens[i + 1].content if i + 1 < len(tokens) else "")
        if t.type in ("paragraph_open", "heading_open", "tr_open"):
            region = [n for n in range(first, last) if n not in code]
            changed |= _escape_inline(lines, region)
    return changed


def _escape_line_start_html(lines: list[str], n: int) -> bool:
    m = _CONTENT_START.match(lines[n])
    at = m.end() if m else 0
    if lines[n][at : at + 1] != "<":
        return False
    lines[n] = lines[n][:at] + "\\" + lines[n][at:]
    return True


def _demote(lines: list[str], token: Token, text: str) -> bool:
    level = int(token.tag[1:])
    first, last = token.map or (0, 0)
    if level >= MIN_NOTE_HEADING and not _reserved(text):
        return False
    new_level = min(6, level + NOTE_HEADING_SHIFT)
    if token.markup.startswith("#"):
        m = _ATX.match(lines[first])
        if m is None:
            return False
        marker = "\\" + "#" * level if _reserved(text) else "#" * new_level
        lines[first] = m.group(1) + marker + lines[first][m.end() :]
        return True
    # Setext ("Title" underlined with === or ---): becomes an ATX heading, underline removed.
    under = _SETEXT_UNDERLINE.match(lines[last - 1])
    start = _CONTENT_START.match(lines[first])
    if under is None or start is None:
        return False
    lines[last - 1] = under.group(1).rstrip()
    if not _reserved(text):
        at = start.end()
        lines[first] = lines[first][:at] + "#" * new_level + " " + lines[first][at:]
    return True


def _escape_inline(lines: list[str], region: list[int]) -> bool:
    """Escape each "<" that could open inline HTML and each "!" that opens an image,
    outside code spans and autolinks."""
    if not region:
        return False
    joined = "\n".join(lines[n] for n in region)
    out: list[str] = []
    i, changed = 0, False
    while i < len(joined):
        ch = joined[i]
        if ch == "\\" and i + 1 < len(joined):
            out.append(joined[i : i + 2])
            i += 2
            continue
        if ch == "`":
            run = len(joined[i:]) - len(joined[i:].lstrip("`"))
            close = _closing_backticks(joined, i + run, run)
            if close is not None:
                out.append(joined[i:close])
                i = close
                continue
            out.append("`" * run)
            i += run
            continue
        if ch == "<":
            auto = _AUTOLINK.match(joined, i)
            if auto:
                out.append(auto.group(0))
                i = auto.end()
                continue
            if re.match(r"<[A-Za-z/!?]", joined[i : i + 2]):
                out.append("\\<")
                i += 1
                changed = True
                continue
        if ch == "!" and joined[i + 1 : i + 2] == "[":
            out.append("\\!")
            i += 1
            changed = True
            continue
        out.append(ch)
        i += 1
    if changed:
        for n, line in zip(region, "".join(out).split("\n"), strict=True):
            lines[n] = line
    return changed


def _closing_backticks(text: str, at: int, run: int) -> int | None:
    """End of the code span opened by `run` backticks before `at`, or None if unclosed."""
    pattern = re.compile(rf"(?<!`)`{{{run}}}(?!`)")
    m = pattern.search(text, at)
    return m.end() if m else None


def _fenced(lines: list[str]) -> list[str]:
    longest = max((len(r) for line in lines for r in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + "text", *lines, fence]
