"""Claims: the sentences of an article that assert something checkable.

Every sentence of the article's paragraphs is a claim unless it only forecasts, judges or
asks (`stance`), is a photo caption or credit, or is a fragment: a sentence cut by the end
of the text, or a line without a verb. The kind follows one precedence: statistic >
quotation > attributed > event, because a figure is what cross-article conflict detection
compares; the attribution is kept for every kind. A quotation keeps its speaker over every
sentence it spans, across paragraphs; a paragraph opened by "According to X," keeps X for
the sentences that follow; an interview answer keeps the speaker its label names. Pure
rules over the text, no spaCy; the choices are recorded in docs/decisions/0021 and 0022.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import islice, takewhile
from typing import Literal

from app.extract import sources, units
from app.extract.figures import Figure, parse_figures
from app.extract.people import People, mentions, own_pronoun
from app.extract.sentences import Sentence, split_sentences
from app.extract.sources import Attribution
from app.extract.stance import stance
from app.words import MONTHS as _MONTHS

ClaimKind = Literal["statistic", "quotation", "attributed", "event"]

# A claim is a sentence: the longest in the seeds is 409 characters. A longer "sentence" is
# no claim (and comparing one of 20,000 numbers with other articles' claims cost its number
# of figures times theirs).
MAX_CLAIM_CHARS = 2_000

__all__ = ["Attribution", "ClaimDraft", "ClaimKind", "extract_claims"]


@dataclass(frozen=True)
class ClaimDraft:
    start: int
    end: int
    text: str
    kind: ClaimKind
    attribution: Attribution | None
    figures: tuple[Figure, ...]
    when: str | None = None  # the date of a reported event: "November 19"


_DATE = re.compile(
    rf"\b(?:(?:early|mid|late)[-\s])?(?:{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d))?"
    r"(?:,?\s+(?:19|20)\d{2})?(?![\w’'])"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b"
    r"|\b(?:summer|winter|spring|autumn|fall)\s+of\s+(?:19|20)\d{2}\b"
    r"|\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Uu]ntil|[Bb]y|of|[Ee]arly|[Mm]id|[Ll]ate)[\s-]+"
    r"(?:the\s+)?(?:19|20)\d{2}(?![\w’'])"
    r"|\b(?:[Ll]ast|[Tt]his|[Ee]arlier\s+this|[Ll]ater\s+this)\s+(?:week|month|year|summer"
    rf"|winter|spring|autumn|fall|weekend|{_MONTHS})\b"
    r"|\b(?:[Aa]|[Oo]ne|two|three|four|five|six|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago\b"
    r"|\b[Yy]esterday\b|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_ANAPHORA = re.compile(
    r"\b(?:[Aa]nother|[Aa]n\s+additional|[Aa]dditional|[Tt]he\s+(?:number|figure|total)"
    r"|[Tt]h(?:is|at)\s+figure|[Tt]hese\s+(?:\w+\s+)?(?:numbers|figures|estimates))\b"
)
_TERMINAL = re.compile(r"[.!?…:;][\"”’')\]]*$")
# A photo caption or a credit: "Image: …", "(AP Photo/Jane Doe)", "Mike Segar | Reuters".
_CAPTION = re.compile(r"^(?:Image|Photo|Picture|Caption|Credit|Source|Video|File)s?\s*:", re.I)
_CREDIT = re.compile(
    r"\((?:[^()]*/)?[^()]*\b(?:Photo|Images|Getty|Reuters|REUTERS|AFP|AP|Xinhua|PTI|EPA|Corbis"
    r"|Shutterstock|Press|Pool)\b[^()]*\)\s*$"
)
# A credit line under a photo: "REUTERS/Michael Kooren", "Mike Segar | Reuters",
# "(Xinhua/Qu Zhendong)", "(PTI)". The paragraph above it is the photo's caption.
_CREDIT_LINE = re.compile(
    r"\(?(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*[/|]\s*)+[A-Z][\w.'’-]*"
    r"(?:\s+[A-Z][\w.'’-]*){0,3}\)?|\([A-Z]{2,6}\)"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-•*▪]|\d+[.)])\s+")
# A line of names ("Garth Illingworth, Hubble principal investigator from UCSC"): mostly
# capitalised words and none of the verbs a statement needs.
_STATEMENT_WORD = re.compile(
    r"\b(?:is|are|was|were|has|have|had|be|been|did|does|do|said|says|\w{2,}ed|\w+s)\b"
)


@dataclass
class _Context:
    """What earlier sentences tell a later one about who speaks."""

    people: People = field(default_factory=People)  # who a "she said" can stand for
    source: Attribution | None = None  # the last source of any kind ("it said")
    quoted: Attribution | None = None  # the speaker of the quotation still open
    label: Attribution | None = None  # the interviewee whose answer this is
    statistic: ClaimDraft | None = None  # a statistic naming its source, for "the number"
    body: str | None = None  # the last organisation named as a source, for "the agency"


def extract_claims(
    text: str, content_spans: Sequence[tuple[int, int]], *, degrees: str | None = None
) -> list[ClaimDraft]:
    """The claims in the given paragraph blocks of `text`, sorted and non-overlapping."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in content_spans if s < e)
    defaults = units.text_defaults(text, degrees)
    last_end = spans[-1][1] if spans else 0
    claims: list[ClaimDraft] = []
    ctx = _Context()
    labels = [sources.interview_label(text, s, e) for s, e in spans]
    interview = sum(label is not None for label in labels) >= 2  # "Name: answer" paragraphs
    for (start, end), label in zip(spans, labels, strict=True):
        if _is_caption(text, start, end):
            continue
        sentences = split_sentences(text, start, end)
        pairs = sources.quote_pairs(text, start, end)
        speakers = {p: sources.speaker_of(text, p[0], p[1], sentences, end) for p in pairs}
        if interview and label is not None:
            ctx.label = label
        ctx.statistic = None  # "the number" refers back within a paragraph only
        heard = ctx.quoted if text[start : start + 1] in '“"' else None
        ctx.quoted = heard  # a paragraph opening a quotation goes on with the last speaker
        opened_by: Attribution | None = None  # "According to the agency, …" leads the paragraph
        credited = {i for i, s in enumerate(sentences[1:]) if _CREDIT.fullmatch(s.text.strip())}
        for i, s in enumerate(sentences):
            if i in credited or _CREDIT.search(s.text):
                continue  # a photo's caption, or its credit: "… in Humacao. (AFP/Getty Images)"
            cut = s.end == last_end and not _TERMINAL.search(s.text)
            masked = _masked(text, s.start, s.end, pairs)
            said = _quotation_speaker(text, s, pairs, speakers, ctx)
            claim = _claim(text, s, masked, pairs, said, opened_by, ctx, spans, defaults, cut)
            for named in mentions(text, s.start, masked, ctx.people):
                ctx.people.see(named)  # a person introduced in any sentence, claim or not
            if claim is None:
                continue
            a = claim.attribution
            if i == 0 and a is not None and sources.opens_with_source(s.text):
                opened_by = a
            _remember(ctx, text, claim)
            claims.append(claim)
    return claims


def _is_caption(text: str, start: int, end: int) -> bool:
    """A paragraph over a photo credit, or one repeated at once (a scraped caption and
    its alt text), describes a picture."""
    # Only the next line is read: copying the rest of the text for every paragraph grew
    # with the square of the number of paragraphs.
    at = end
    while at < len(text) and text[at] in "\n \t":
        at += 1
    line_end = text.find("\n", at)
    line = text[at : line_end if line_end >= 0 else len(text)].strip()
    if _CREDIT_LINE.fullmatch(line) is not None:
        return True
    paragraph = text[start:end].strip()
    return bool(paragraph) and line == paragraph


def _quotation_speaker(
    text: str,
    s: Sentence,
    pairs: Sequence[tuple[int, int]],
    speakers: dict[tuple[int, int], tuple[int, int] | None],
    ctx: _Context,
) -> Attribution | None:
    """The speaker of a quotation this sentence is part of: named at the quotation's end or
    start, or, for a quotation going on from the paragraph before, that one's speaker."""
    inside = _pairs_in(pairs, s.start, s.end)
    for p in inside:
        span = speakers.get(p)
        if span is not None:
            said = sources.resolve_pronoun(sources.found(text, span), ctx.people, ctx.source)
            ctx.quoted = said
            return said
    if inside and all(p[1] - p[0] > 0.6 * (s.end - s.start) for p in inside):
        return ctx.quoted or ctx.label  # the whole sentence is quoted: the speaker goes on
    if not inside and ctx.quoted is not None and _opens_quotation(text, s):
        return ctx.quoted  # "“We're also seeing …" with no closing mark in this paragraph
    return None


def _opens_quotation(text: str, s: Sentence) -> bool:
    body = text[s.start : s.end]
    return body[:1] in '“"' and "”" not in body[1:] and '"' not in body[1:]


def _claim(
    text: str,
    s: Sentence,
    masked: str,
    pairs: Sequence[tuple[int, int]],
    said: Attribution | None,
    opened_by: Attribution | None,
    ctx: _Context,
    spans: Sequence[tuple[int, int]],
    defaults: units.TextDefaults,
    cut: bool,
) -> ClaimDraft | None:
    if s.end - s.start > MAX_CLAIM_CHARS:
        return None
    body = text[s.start : s.end]
    listed = _LIST_ITEM.match(body)
    if (cut and not listed) or _CAPTION.match(body) or _CREDIT_LINE.fullmatch(body):
        return None
    figures = tuple(parse_figures(body, s.start, degrees=defaults.degrees, crown=defaults.crown))
    unterminated = not _TERMINAL.search(body) and len(body.split()) <= 12 and not listed
    if unterminated and not _is_data_row(body, figures):
        return None  # a heading or a label that slipped into the content
    if stance(body) != "fact":
        return None
    if not figures and _is_name_list(body):
        return None  # a list of names or a label, no statement
    own = said or ctx.label or sources.find_source(text, s.start, s.end, masked)
    attribution = sources.resolve_pronoun(own, ctx.people, ctx.source) if own else None
    if attribution is None:
        attribution = opened_by
    if ctx.statistic is not None and _refers_back(masked, figures):
        attribution = attribution or ctx.statistic.attribution
        figures = _refer_back(figures, ctx.statistic.figures)
    if attribution is None:
        attribution = sources.implied_source(masked)
    if attribution is not None and attribution.context is None:
        context = sources.context_of(text, attribution, spans)
        if context is None and ctx.body and sources.is_description(attribution.text):
            context = ctx.body  # "the agency" after "Statistics Canada said"
        attribution = replace(attribution, context=context)
    date = _DATE.search(masked)
    when = " ".join(date.group().split()) if date else None
    kind: ClaimKind
    if figures:
        kind = "statistic"
    elif said is not None or (attribution is not None and _quotes_words(s, pairs)):
        kind = "quotation" if attribution is not None else "event"
    elif attribution is not None:
        kind = "attributed"
    else:
        kind = "event"
    start = s.start + (listed.end() if listed else 0)
    return ClaimDraft(start, s.end, text[start : s.end], kind, attribution, figures, when)


def _is_data_row(body: str, figures: tuple[Figure, ...]) -> bool:
    """ "Jane Doe (Lab) 25,056 (55.54%, +5.36%)", "Turnout 45,111 (62.03%)": a line of a
    results table states figures without a verb or a full stop (a headline has a verb)."""
    return any(f.unit is not None for f in figures) and not _STATEMENT_WORD.search(body.lower())


def _quotes_words(s: Sentence, pairs: Sequence[tuple[int, int]]) -> bool:
    """A direct quotation of someone's words (more than a scare-quoted term)."""
    return any(
        s.start <= o and c <= s.end and c - o > 25 for o, c in _pairs_in(pairs, s.start, s.end)
    )


def _is_name_list(body: str) -> bool:
    words = re.findall(r"[^\W\d_][\w’'.-]*", body)
    capitalised = sum(w[0].isupper() for w in words)
    lowercase = " ".join(w for w in words if not w[0].isupper())
    return capitalised >= 0.5 * len(words) and not _STATEMENT_WORD.search(lowercase)


def _pairs_in(pairs: Sequence[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The quotation marks (in order, none overlapping) that reach into [start, end): every
    sentence of a paragraph reading all its quotations grew with their product."""
    first = bisect_left(pairs, start, key=lambda p: p[1])
    return list(takewhile(lambda p: p[0] < end, islice(pairs, first, None)))


def _masked(text: str, start: int, end: int, pairs: Sequence[tuple[int, int]]) -> str:
    """The sentence with quoted stretches blanked, so cue words inside a quotation ("I
    believe …") are not read as the article's own attribution."""
    chars = list(text[start:end])
    for o, c in _pairs_in(pairs, start, end):
        for i in range(max(o, start), min(c + 1, end)):
            chars[i - start] = " "
    return "".join(chars)


def _remember(ctx: _Context, text: str, claim: ClaimDraft) -> None:
    a = claim.attribution
    if a is not None and a.start is not None:
        ctx.source = a
        if sources.is_person(a.text) and a.end is not None:
            named_here = claim.start <= a.start < claim.end  # not a pronoun's stand-in
            gender = own_pronoun(text, a.end, claim.end) if named_here else None
            ctx.people.named(a.text, a.start, a.end, gender)
        elif not sources.is_description(a.text):
            ctx.body = a.text
    own_statistic = a is not None and claim.kind == "statistic"
    ctx.statistic = claim if own_statistic else None


def _refers_back(masked: str, figures: tuple[Figure, ...]) -> bool:
    """ "According to British estimates, … In June, the number fell to 1,163": a figure
    sentence that opens by pointing back shares the source of the statistic before it."""
    return bool(figures) and _ANAPHORA.search(masked[:80]) is not None


def _refer_back(figures: tuple[Figure, ...], earlier: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """ "In June, the number fell to 1,163": the number counts what the earlier figure
    counted, at the same rate."""
    model = next((f for f in earlier if f.unit), None)
    if model is None:
        return figures
    return tuple(
        replace(f, unit=model.unit, period=f.period or model.period)
        if f.unit is None and any(c.isdigit() for c in f.text)
        else f
        for f in figures
    )


def claim_in_span(text: str, start: int, end: int) -> ClaimDraft:
    """The claim an analyst marked in [start, end): its figures and attribution read as
    extraction reads a sentence, its kind whatever the span shows (an event when it shows
    neither figures, nor a source: the analyst says it is a claim)."""
    defaults = units.text_defaults(text, None)
    body = text[start:end]
    masked = _masked(text, start, end, sources.quote_pairs(text, start, end))
    figures = tuple(parse_figures(body, start, degrees=defaults.degrees, crown=defaults.crown))
    attribution = sources.find_source(text, start, end, masked) or sources.implied_source(masked)
    date = _DATE.search(masked)
    kind: ClaimKind = "statistic" if figures else "attributed" if attribution else "event"
    when = " ".join(date.group().split()) if date else None
    return ClaimDraft(start, end, body, kind, attribution, figures, when)
