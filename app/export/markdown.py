"""An annotated set as one CommonMark document (see docs/decisions/0008-export-formats.md).

Structure: ``#`` title and what was exported; ``##`` a group (a cluster of claims that
assert the same thing, or an article); ``###`` one section per claim, headed exactly
``Claim 12``, and per note on a passage, headed ``Note 7``. Those headings give the anchors
``#claim-12`` and ``#note-7`` (GitHub's and the preview's slugs), which every cross-link,
cluster and conflict uses; a claim or note outside the export is named with its words
instead of linked. Analysts' notes keep their Markdown inside a blockquote
(`mdsafe.contain_note`); every other text is escaped. Only the "Exported" line depends on
the time of export: the same records give the same bytes otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from typing import Literal

from app.export.mdsafe import contain_note, escape_text
from app.export.records import (
    ArticleRecord,
    ClaimPlace,
    ClaimRecord,
    ExportSet,
    FigureRecord,
    LinkEndRecord,
    LinkRecord,
    NotePlace,
    NoteRecord,
    Outline,
    rfc3339,
    verdicts_by_claim,
)
from app.verdicts import standing_verdict
from app.vocab import CONTESTED, VERDICTS
from app.words import QUOTE_MARKS

__all__ = ["Grouping", "to_markdown", "write_markdown"]

Grouping = Literal["cluster", "article"]

HEADING_QUOTE_CHARS = 80
REFERENCE_QUOTE_CHARS = 70
REFERENCE_TITLE_CHARS = 60

# A link read aloud from its source to its target.
RELATION_VERBS = {
    "same_claim": "asserts the same as",
    "corroborates": "corroborates",
    "contradicts": "contradicts",
    "derived_from": "is derived from",
    "related": "is related to",
}
ORIGIN_NOTES = {"citation": " (cited in the note)", "suggestion": " (a confirmed suggestion)"}


# Claims (with their notes) read and written at a time when a document is written in parts.
PART_SIZE = 200

Fetch = Callable[[set[int], set[int]], ExportSet]
# A part: its claims, its notes on passages, and the number of its first group.
Part = tuple[list[ClaimPlace], list[NotePlace], int]


def to_markdown(export: ExportSet, *, group: Grouping = "cluster") -> str:
    """The document of a set gathered whole."""
    return "".join(write_markdown(Outline.of(export), lambda _c, _n: export, group=group))


def write_markdown(
    outline: Outline, fetch: Fetch, *, group: Grouping = "cluster", part_size: int = PART_SIZE
) -> Iterator[str]:
    """The document in pieces, written while it is read: `fetch(claim ids, note ids)` gives
    the records of a part (those claims, those notes and their replies, and what they refer
    to), about `part_size` claims or passage notes at a time (a cluster or an article is
    never split)."""
    doc = _Document(outline)
    yield from doc.render(group, fetch, part_size)


class _Document:
    def __init__(self, outline: Outline) -> None:
        self.o = outline
        self.order = outline.article_order
        self.claims = sorted(outline.claims, key=self._claim_key)
        self.exported_claims = {c.id for c in self.claims}
        self.rank = {c.id: self._claim_key(c) for c in self.claims}
        notes = sorted(outline.notes, key=lambda n: (n.created, n.id))
        self.by_id = {n.id: n for n in notes}
        self.note_ids = set(self.by_id)
        self.children: dict[int, list[NotePlace]] = defaultdict(list)
        for n in notes:
            if n.reply_to is not None and n.reply_to in self.note_ids:
                self.children[n.reply_to].append(n)
        self.roots = [n for n in notes if n.reply_to not in self.note_ids]
        self.claim_roots: dict[int, list[NotePlace]] = defaultdict(list)
        for n in self.roots:
            if n.claim_id is not None and n.claim_id in self.exported_claims:
                self.claim_roots[n.claim_id].append(n)
        self.passages = sorted(
            (n for n in self.roots if n.claim_id not in self.exported_claims),
            key=lambda n: (self.order.get(n.article_id, 0), n.start is None, n.start or 0, n.id),
        )
        self.passage_ids = {n.id for n in self.passages}
        self.n_notes = len(notes)
        self.used_verdicts: set[str] = set()
        self.out: list[str] = []
        self.held = 0  # blank lines owed before the next line written
        self._part(ExportSet(outline.title, outline.filters, outline.exported_at,
                             outline.exported_by))  # fmt: skip

    def _part(self, export: ExportSet) -> None:
        """The records the next sections are written from."""
        self.x = export
        self.verdicts = verdicts_by_claim(export.verdicts)
        # A claim is referred to by every member of its cluster, an article by each claim:
        # each reference and source line is written once a part.
        self.claim_refs: dict[int, str] = {}
        self.sources: dict[tuple[int, int | None, int | None], str] = {}

    def _claim_key(self, c: ClaimPlace) -> tuple[int, int, int]:
        return (self.order.get(c.article_id, 0), c.start, c.id)

    # --- the document ------------------------------------------------------------------

    def render(self, group: Grouping, fetch: Fetch, part_size: int) -> Iterator[str]:
        self._header(group)
        for claims, passages, first in self._parts(group, part_size):
            yield self._flush()
            # A claim's notes and their replies come with the claim (a reply is on its
            # parent's claim); a note on a passage is asked for with its replies.
            self._part(fetch({c.id for c in claims}, {n.id for n in passages}))
            if group == "article":
                self._by_article(claims, passages)
            else:
                self._by_cluster(claims, passages, first)
        self._vocabulary()
        yield self._flush()

    def _flush(self) -> str:
        """The lines written since the last piece. Blank lines at a piece's end are held
        back until a line follows them: the document ends on its last line."""
        lines, self.out = self.out, []
        trailing = 0
        while trailing < len(lines) and lines[-1 - trailing] == "":
            trailing += 1
        body = lines[: len(lines) - trailing]
        if not body:
            self.held += trailing
            return ""
        text = "\n" * self.held + "".join(line + "\n" for line in body)
        self.held = trailing
        return text

    def _emit(self, *lines: str) -> None:
        self.out.extend(lines)

    def _header(self, group: Grouping) -> None:
        o = self.o
        filters = "; ".join(f"{k} = {v}" for k, v in o.filters) or "none (everything)"
        articles = {c.article_id for c in self.claims} | {n.article_id for n in self.passages}
        self._emit(
            f"# {escape_text(o.title)}",
            "",
            f"- Filter: {escape_text(filters)}",
            f"- Exported: {rfc3339(o.exported_at)} by {escape_text(o.exported_by)}",
            f"- Contents: {_count(len(self.claims), 'claim')} and "
            f"{_count(len(self.passages), 'note')} on passages, from "
            f"{_count(len(articles), 'article')}; {_count(self.n_notes, 'annotation')} "
            "in all",
            f"- Grouped by: {'article' if group == 'article' else 'claim cluster'}",
            "",
            "Each claim has a section headed “Claim N” and each note on a passage one headed "
            "“Note N”; references point at those sections.",
            "",
        )

    def _parts(self, group: Grouping, size: int) -> Iterator[Part]:
        """(claims, passage notes, number of the part's first group) of each part."""
        if group == "article":
            claims_of: dict[int, list[ClaimPlace]] = defaultdict(list)
            for c in self.claims:
                claims_of[c.article_id].append(c)
            passages_of: dict[int, list[NotePlace]] = defaultdict(list)
            for p in self.passages:
                passages_of[p.article_id].append(p)
            articles = sorted({*claims_of, *passages_of}, key=lambda a: self.order.get(a, 0))
            claims: list[ClaimPlace] = []
            passages: list[NotePlace] = []
            for article_id in articles:
                claims += claims_of[article_id]
                passages += passages_of[article_id]
                if len(claims) + len(passages) >= size:
                    yield claims, passages, 0
                    claims, passages = [], []
            if claims or passages:
                yield claims, passages, 0
            return
        claims, first, number = [], 1, 1
        for members in self._clusters():
            claims += members
            number += 1
            if len(claims) >= size:
                yield claims, [], first
                claims, first = [], number
        if claims:
            yield claims, [], first
        for at in range(0, len(self.passages), size):
            yield [], self.passages[at : at + size], number

    def _by_cluster(self, claims: list[ClaimPlace], passages: list[NotePlace], first: int) -> None:
        groups: dict[int, list[ClaimRecord]] = defaultdict(list)
        for place in claims:
            groups[self._cluster_of[place.id]].append(self._record(place.id))
        for n, members in enumerate(groups.values(), first):
            lead = _shorten(members[0].text.strip(QUOTE_MARKS), HEADING_QUOTE_CHARS)
            self._emit(f"## Group {n}: “{escape_text(lead)}”", "")
            if len(members) > 1:
                refs = ", ".join(self._claim_ref(c.id) for c in members)
                self._emit(f"{len(members)} claims in this export assert the same thing: {refs}.")
                self._emit("")
            for c in members:
                self._claim(c)
        if passages:
            if passages[0] is self.passages[0]:
                self._emit("## Notes on passages", "")
            for note in passages:
                self._passage(self._note(note.id))

    def _by_article(self, claims: list[ClaimPlace], passages: list[NotePlace]) -> None:
        claims_of: dict[int, list[ClaimPlace]] = defaultdict(list)
        for c in claims:
            claims_of[c.article_id].append(c)
        passages_of: dict[int, list[NotePlace]] = defaultdict(list)
        for p in passages:
            passages_of[p.article_id].append(p)
        for article_id in sorted({*claims_of, *passages_of}, key=lambda a: self.order.get(a, 0)):
            article = self.x.article(article_id)
            title = article.title if article is not None else ""
            self._emit(f"## Article: {escape_text(title or '(untitled)')}", "")
            if article is not None:
                line = self._article_line(article)
                self._emit(f"- {line[:1].upper()}{line[1:]}", "")
            for c in claims_of[article_id]:
                self._claim(self._record(c.id))
            for p in passages_of[article_id]:
                self._passage(self._note(p.id))

    def _clusters(self) -> list[list[ClaimPlace]]:
        """Claims of the export that assert the same thing, joined transitively."""
        parent = {c.id: c.id for c in self.claims}

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for c in self.claims:
            for other in c.cluster:
                if other in parent:
                    a, b = find(c.id), find(other)
                    if a != b:
                        parent[max(a, b, key=self._rank)] = min(a, b, key=self._rank)
        groups: dict[int, list[ClaimPlace]] = defaultdict(list)
        self._cluster_of: dict[int, int] = {}
        for c in self.claims:
            root = find(c.id)
            groups[root].append(c)
            self._cluster_of[c.id] = root
        return list(groups.values())

    def _rank(self, claim_id: int) -> tuple[int, int, int]:
        return self.rank[claim_id]

    def _record(self, claim_id: int) -> ClaimRecord:
        found = self.x.claim(claim_id)
        assert isinstance(found, ClaimRecord), f"claim {claim_id} is not in its part"
        return found

    def _note(self, note_id: int) -> NoteRecord:
        found = self.x.note(note_id)
        assert isinstance(found, NoteRecord), f"note {note_id} is not in its part"
        return found

    # --- sections ------------------------------------------------------------------------

    def _claim(self, c: ClaimRecord) -> None:
        self._emit(f"### Claim {c.id}", "", f"> {escape_text(c.text)}", "")
        facts = [f"Source: {self._source(c.article_id, c.paragraph, c.page)}"]
        attribution = escape_text(c.attribution) if c.attribution else "no source named"
        if c.attribution and c.attribution_context:
            attribution += f" ({escape_text(c.attribution_context)})"
        if c.attribution_corrected_by and c.attribution_corrected_at:
            attribution += (
                f" — attribution corrected by {escape_text(c.attribution_corrected_by)}"
                f" on {c.attribution_corrected_at:%Y-%m-%d}"
            )
        facts.append(f"Attributed to: {attribution}")
        facts.append(f"Kind: {escape_text(c.kind)}")
        if c.figures:
            facts.append("Figures: " + "; ".join(_figure(f) for f in c.figures))
        facts.append(f"Verdicts: {self._verdicts(c.id)}")
        facts.append(
            f"Sources: {_count(c.article_count, 'article')}, "
            f"{_count(c.independent_sources, 'independent source')}"
        )
        if c.cluster:
            facts.append("Same claim: " + "; ".join(self._claim_ref(i) for i in c.cluster))
        if c.conflicts:
            facts.append(
                "Conflicting figures: "
                + "; ".join(f"{self._claim_ref(i)}: {escape_text(r)}" for i, r in c.conflicts)
            )
        self._emit(*(f"- {f}" for f in facts))
        roots = [self._note(r.id) for r in self.claim_roots.get(c.id, [])]
        thread_ids = {n.id for r in roots for n in (r, *self._replies(r))}
        self._links(
            {LinkEndRecord("claim", c.id)} | {LinkEndRecord("annotation", i) for i in thread_ids}, c
        )
        self._emit("")
        if roots:
            self._emit("#### Notes", "")
            for root in roots:
                self._thread(root)

    def _passage(self, note: NoteRecord) -> None:
        self._emit(f"### Note {note.id}", "", f"> {escape_text(note.exact)}", "")
        facts = [f"Source: {self._source(note.article_id, None)}"]
        if note.claim_id is not None:
            facts.append(f"On: {self._claim_ref(note.claim_id)}")
        if note.anchor_status == "orphan":
            facts.append("Anchor: orphan — the passage is no longer found in the article")
        elif note.anchor_status == "fuzzy":
            facts.append("Anchor: fuzzy — placed on the closest matching words")
        self._emit(*(f"- {f}" for f in facts))
        ids = {n.id for n in (note, *self._replies(note))}
        self._links({LinkEndRecord("annotation", i) for i in ids}, None)
        self._emit("")
        self._thread(note)

    def _thread(self, root: NoteRecord) -> None:
        for n in (root, *self._replies(root)):
            label = (
                f"**Note {n.id}**"
                if n.reply_to is None
                else f"**Reply {n.id}** to Note {n.reply_to}"
            )
            meta = [f"{label} by {escape_text(n.analyst)}, {_day(n.created)}"]
            if n.modified and _day(n.modified) != _day(n.created):
                meta.append(f"edited {_day(n.modified)}")
            if n.verdict:
                self.used_verdicts.add(n.verdict)
                meta.append(f"verdict: {escape_text(n.verdict)}")
            if n.tags:
                meta.append("tags: " + ", ".join(escape_text(t) for t in n.tags))
            self._emit(" · ".join(meta), "")
            if n.body.strip():
                self._emit(*contain_note(n.body), "")

    def _replies(self, root: NoteRecord) -> list[NoteRecord]:
        out: list[NoteRecord] = []
        for child in self.children.get(root.id, []):
            record = self._note(child.id)
            out.append(record)
            out.extend(self._replies(record))
        return out

    def _links(self, here: set[LinkEndRecord], claim: ClaimRecord | None) -> None:
        touching = [k for k in self.x.links if k.source in here or k.target in here]
        if not touching:
            return
        self._emit("- Links:")
        for link in sorted(touching, key=lambda k: (k.created, k.id)):
            self._emit(f"  - {self._link(link, claim)}")

    def _link(self, link: LinkRecord, claim: ClaimRecord | None) -> str:
        verb = RELATION_VERBS.get(link.relation, escape_text(link.relation))
        source = self._end(link.source, claim)
        text = f"{source[:1].upper()}{source[1:]} {verb} {self._end(link.target, claim)}"
        text += f" — {escape_text(link.analyst)}, {_day(link.created)}"
        text += ORIGIN_NOTES.get(link.origin, "")
        if link.note.strip():
            text += f": “{escape_text(link.note)}”"
        return text

    # --- references ----------------------------------------------------------------------

    def _end(self, end: LinkEndRecord, claim: ClaimRecord | None) -> str:
        if end.kind == "claim":
            if claim is not None and end.id == claim.id:
                return "this claim"
            return self._claim_ref(end.id)
        return self._note_ref(end.id)

    def _claim_ref(self, claim_id: int) -> str:
        if claim_id not in self.claim_refs:
            self.claim_refs[claim_id] = self._write_claim_ref(claim_id)
        return self.claim_refs[claim_id]

    def _write_claim_ref(self, claim_id: int) -> str:
        if claim_id in self.exported_claims:
            return f"[Claim {claim_id}](#claim-{claim_id})"
        ref = self.x.claim(claim_id)
        if ref is None:
            return f"Claim {claim_id} (not in this export)"
        quote = escape_text(_shorten(ref.text.strip(QUOTE_MARKS), REFERENCE_QUOTE_CHARS))
        title = self._title(ref.article_id, REFERENCE_TITLE_CHARS)
        return f"Claim {claim_id} (not in this export: “{quote}”, {title})"

    def _note_ref(self, note_id: int) -> str:
        if note_id in self.note_ids:
            root = self._root(note_id)
            if root.id in self.passage_ids:
                return f"[Note {note_id}](#note-{root.id})"
            if root.claim_id is not None:
                return f"[Note {note_id}](#claim-{root.claim_id})"
        ref = self.x.note(note_id)
        if ref is None:
            return f"Note {note_id} (not in this export)"
        quote = escape_text(_shorten(ref.exact.strip(QUOTE_MARKS), REFERENCE_QUOTE_CHARS))
        title = self._title(ref.article_id, REFERENCE_TITLE_CHARS)
        return f"Note {note_id} (not in this export: on “{quote}”, {title})"

    def _root(self, note_id: int) -> NotePlace:
        note = self.by_id[note_id]
        seen = {note.id}
        while note.reply_to in self.by_id and note.reply_to not in seen:
            note = self.by_id[note.reply_to]
            seen.add(note.id)
        return note

    def _title(self, article_id: int, limit: int | None = None) -> str:
        article = self.x.article(article_id)
        if article is None:
            return "an article"
        title = article.title or "(untitled)"
        return f"*{escape_text(_shorten(title, limit) if limit else title)}*"

    def _source(self, article_id: int, paragraph: int | None, page: int | None = None) -> str:
        key = (article_id, paragraph, page)
        if key not in self.sources:
            self.sources[key] = self._write_source(article_id, paragraph, page)
        return self.sources[key]

    def _write_source(self, article_id: int, paragraph: int | None, page: int | None) -> str:
        article = self.x.article(article_id)
        if article is None:
            return f"article {article_id}"
        where = self._article_line(article, with_title=True)
        return (
            where
            + (f", page {page}" if page else "")
            + (f", paragraph {paragraph}" if paragraph else "")
        )

    def _article_line(self, article: ArticleRecord, *, with_title: bool = False) -> str:
        parts = [self._title(article.id)] if with_title else []
        if article.publisher:
            parts.append(f"published by {escape_text(article.publisher)}")
        if article.author:
            parts.append(f"by {escape_text(article.author)}")
        if article.url:
            parts.append(f"from {escape_text(article.url)}")
        parts.append(
            f"source file {escape_text(article.source_file)}"
            if article.source_file
            else "pasted text"
        )
        return ", ".join(parts)

    def _verdicts(self, claim_id: int) -> str:
        by = self.verdicts.get(claim_id, {})
        if not by:
            return "none yet"
        standing = standing_verdict(v.verdict for v in by.values()) or ""
        self.used_verdicts |= {v.verdict for v in by.values()} | {standing}
        each = "; ".join(
            f"{escape_text(who)}: {escape_text(v.verdict)} ({_day(v.at)})"
            for who, v in sorted(by.items())
        )
        return f"{each} — standing verdict: {standing}"

    def _vocabulary(self) -> None:
        if not self.used_verdicts:
            return
        self._emit("## Verdicts", "")
        for name in [*VERDICTS, CONTESTED]:
            if name in self.used_verdicts:
                meaning = (
                    VERDICTS[name].description
                    if name in VERDICTS
                    else "Analysts' standing verdicts disagree."
                )
                self._emit(f"- {name}: {escape_text(meaning)}")
        self._emit("")


# --- small formatting ------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@lru_cache(maxsize=4096)
def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def _shorten(text: str, limit: int) -> str:
    one_line = " ".join(text.split())
    if len(one_line) <= limit:
        return one_line
    cut = one_line[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _figure(f: FigureRecord) -> str:
    parsed = ""
    if f.low is not None and f.high is not None and f.low != f.high:
        parsed = f"{_number(f.low)}–{_number(f.high)}"
    elif f.value is not None:
        parsed = _number(f.value)
    elif f.low is not None:
        parsed = f"at least {_number(f.low)}"
    elif f.high is not None:
        parsed = f"at most {_number(f.high)}"
    if parsed and f.unit:
        parsed += f" {f.unit}"
    if parsed and f.period:
        parsed += f" per {f.period}"
    text = f"“{escape_text(f.text)}”"
    return f"{text} ({escape_text(parsed)})" if parsed else text
