"""Who a statement comes from: the source an article names for it.

A source is a noun phrase that can speak — a person ("Dalhaug"), an organisation ("the
Bureau of Labor Statistics"), a group ("Western officials", "analysts polled by Reuters"),
a document for its author ("a report by the WMO" → "WMO") — never a date, a number or a
bare nationality. It is found after "according to", before or after a reporting verb
("X said", "said X"), as the speaker of a quotation or of an interview answer; a pronoun
("she said") stands for the person `people.People` finds for it. Pure rules over the
text, no spaCy; the choices are recorded in docs/decisions/0022-attribution.md.

One module on purpose, as figures.py: the vocabulary of reporting words is only meaningful
with the rules that read it, and cues and phrases are read in one pass per sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from app.extract.people import ORG_WORDS, People, is_role, name_in
from app.extract.sentences import Sentence
from app.words import wordset as _wordset


@dataclass(frozen=True)
class Attribution:
    text: str  # the source as written: "British estimates", "Dalhaug", "RFE/RL"
    start: int | None  # offsets of that text in the article; None when only implied
    end: int | None
    context: str | None = None  # "British Ministry of Defence" for "British estimates"


# --- vocabulary ---------------------------------------------------------------------


def _alternation(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SPEECH = _alternation(
    """says said say believes believe believed claims claimed claim reported reports reporting
    announced announces warned warns stated states told tells added adds continued continues
    noted notes argued argues wrote writes admitted admits confirmed confirms denied denies
    insisted insists alleged alleges hinted hints estimated estimate estimates predicted
    predicts suggested suggests suggest acknowledged acknowledges revealed reveals stressed
    explained explains concluded assessed assesses assess stating claiming saying warning
    confirming arguing insisting
    consider considers considered expecting expected attributed identified discovered"""
)
_EVIDENCE_VERBS = _alternation(
    """show shows showed indicate indicates indicated indicating range ranging ranged put puts
    emerged suggesting characterized characterised described describe highlighted highlights
    highlight exposed exposes reveal found finds find decided decides ruled rules determined
    determines conclude"""
)
_GERUND_NEEDS_THAT = _wordset(
    "reporting stating claiming saying warning suggesting confirming arguing insisting"
)
_VERB = re.compile(
    rf"\b(?P<v>{_SPEECH}|{_EVIDENCE_VERBS}|expressed(?=\s+(?:\w+\s+)?(?:concern|frustration"
    r"|doubts?|fears?|alarm|regret|hope|confidence|support))|point(?:s|ed)?\s+to"
    r"|backed\s+up|accus(?:ed|es)(?=\s+(?:[\w’'-]+\s+){1,5}?of\b)"
    r"|(?:is|are|was|were)\s+(?:skeptical|sceptical|confident|convinced|adamant|doubtful)"
    r"(?=\s+that\b))\b"
)
_EVIDENCE_NOUNS = _wordset(
    """estimates estimate reports report assessments assessment analysts analyst officials
    official sources source experts expert critics observers intelligence media data figures
    studies study surveys survey polls poll statistics accounts account documents leaks
    scientists researchers economists forecasters prosecutors investigators authorities"""
)
_NATIONALITIES = _wordset(
    """Western British American Ukrainian Russian European Norwegian German French Polish
    Finnish Swedish Estonian Latvian Lithuanian Chinese Israeli Turkish Kremlin Pentagon
    UK US U.S. U.K. EU NATO Allied allied independent official Ukraine's Russia's"""
)
_DETERMINERS = _wordset(
    """the a an some many most several various other others numerous multiple unnamed
    anonymous these those"""
)
_CLAUSE_WORDS = _wordset(
    """that which who whom while although though when if as because since and but or with by
    per from after before where whereas so even once then thus however yet nor than"""
)
_AUX_ADVERBS = _wordset(
    """has have had is are was were will would could can may might also reportedly recently
    previously publicly repeatedly now already ominously openly further even still often
    again last earlier later first once himself herself themselves itself not began begun
    started start continue to"""
)
# "The official, who spoke …, added", "Dmitry Medvedev, the deputy chairman …, claimed"
# ", Carlsberg said.", ", the national statistical agency said on Wednesday.": the source
# named at the end of the sentence speaks for all of it.
_TAIL = re.compile(
    r"[,—–]\s*(?P<src>(?:[^\W\d_][\w’'./-]*\s+){0,6}?[^\W\d_][\w’'./-]*)\s+"
    r"(?:said|says|told\s+\w+|added|adds|wrote|writes|noted|notes|warned|explained|stated)"
    r"(?:\s+(?:on|in|at|last|this|during)\b[^,;]*|\s+[A-Z]?\w+day\b)?\s*[.!]?[”\"’')]*\s*$"
)
_CLAUSE_IN = re.compile(r"\b(?:that|which|who|while|and|but|as|when|if)\b", re.IGNORECASE)
# "per Centers for Disease Control and Prevention data"
_PER_DATA = re.compile(
    r"\bper\s+(?P<src>[A-Z][\w’'.&-]*(?:\s+(?:and|of|for|the|[A-Z][\w’'.&-]*))*)\s+"
    r"(?:data|figures|statistics|estimates|numbers|count)\b"
)
_DOCUMENT = (
    r"(?:report|study|survey|analysis|statement|estimate|estimates|data|poll|figures|review"
    r"|announcement|assessment|release|paper|research|findings|bulletin)"
)
_DOCUMENT_REACH = 200  # "a new report published by the …": the author comes within a few words
_DOCUMENT_BY = re.compile(
    rf"(?:(?:a|an|the|its|their)\s+)?(?:[a-z]+\s+){{0,3}}{_DOCUMENT}\s+"
    r"(?:(?:published|released|led|issued|compiled|conducted)\s+)?(?:from|by|of)\s+(?:the\s+)?"
    r"(?=[A-Z])"
)
_POSSESSOR = re.compile(
    rf"(?:the\s+)?(?P<src>[A-Z][\w.&-]*(?:\s+(?:of|for|and|[A-Z][\w.&-]*))*)['’]s\s+"
    rf"(?:[a-z]+\s+){{0,2}}{_DOCUMENT}\b"
)
_PASSIVE_BY = re.compile(
    r"\b(?:is|are|was|were|been)\s+(?:\w+ly\s+)?(?:highlighted|reported|confirmed|estimated"
    r"|documented|cited|stated|noted|described|assessed|disputed|denied|claimed|announced"
    r"|revealed|published)\s+by\s+"
)
_POSSESSIVE_END = re.compile(r"['’]s$")
_DOCUMENT_NOUNS = _wordset(
    "data report study survey analysis statement estimate estimates figures poll findings"
)
_NEEDS_CONTENT = _wordset(
    """announced announces wrote writes added adds continued continues confirmed confirms
    warned warns noted notes stressed insisted admitted denied denies told tells claimed
    revealed reveals concluded"""
)
# What a reporting verb reports: a clause, a quotation, or nothing more (the sentence ends).
_CONTENT_AFTER = re.compile(
    r"(?:\s+(?:on|in|at|last|this|earlier|later|early|late|also|again|publicly|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|\w+day|reporters|them|him|her"
    r"|morning|afternoon|evening|night|us|\w+ly|[A-Z]\w+|\d+)){0,4}\s*(?:that\b|[:,“”\"]|\s*$|\.)"
    r"|\s+(?:he|she|they|it|we|I|there|this|these|those)\b|\s+(?:of|about|against)\b"
)
# A finding reported as a clause: "found that …", "determined the verdict was …".
_CLAUSE_AFTER = re.compile(
    r"(?:\s+(?:on|in|at|last|this|earlier|later|\w+day|\d{4}|\w+ly)){0,3}\s+that\b"
    r"|\s+(?:(?:the|a|an|its|their|his|her)\s+)?(?:[\w’'-]+\s+){0,3}?"
    r"(?:is|are|was|were|has|have|had|would|will|could|did)\b"
)
# The subject a sentence opens with, before its verb or an aside: "The company sued …",
# "The National Federation of Independent Business, which represents …,".
_LEAD_SUBJECT = re.compile(
    r"\s*(?P<src>(?:(?:The|A|An)\s+)?[A-Z][\w.’'&-]*(?:\s+(?:of|for|and)\s+[A-Z][\w.’'&-]*"
    r"|\s+[A-Z][\w.’'&-]*)*|(?:The|A|An)\s+[a-z]+)(?=\s*,\s*(?:which|who)\b|\s+[a-z]+ed\b)"
)
# "a list of names before the last one": "Ukraine, the United States and South Korea".
_NAME_LIST_BEFORE = re.compile(r"\s*(?:(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*\s*,\s*)+")
# Bodies that state findings: "The jury found that …", "the appeals court determined …".
_BODIES = _wordset(
    """jury court panel judge judges company government committee agency ministry department
    board commission council tribunal regulator"""
)
# "… Service on Sunday (Jan 12) backed up": when it happened, not who.
_WHEN_BEFORE_VERB = re.compile(
    r"(?:\s+(?:on|last|this|early|late)?\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday|today|yesterday|week|month|morning|evening|night))?"
    r"(?:\s*\([^()]{1,30}\))?\s*$"
)
_PREPOSITIONS = _wordset("in on at during after before since for from with among under over")
_LIST_REACH = 200
# A word right before a participle that makes it describe a noun: "another predicted victory".
_ATTRIBUTIVE = _wordset("another each every its their his her our my your no")
# "analysts polled by Reuters": the poll's author is part of the group's name.
_POLLED = _wordset("polled surveyed interviewed questioned")
_LEAD_NAME = re.compile(r"\s*((?:[A-Z][\w.’'-]*\s+){0,5}[A-Z][\w.’'-]*)")
_NOUN_AFTER = re.compile(r"\s+(?:of|for)\b")
_CONTRACTION = re.compile(r"(?:['’](?:ve|re|s|ll|d|m))$", re.IGNORECASE)
_NUMBER_WORDS = _wordset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million dozens hundreds thousands millions"""
)
# "The official, who spoke …, added", "Dmitry Medvedev, the deputy chairman …, claimed":
# the aside runs from this opening to the next comma, which closes it before the verb.
_RELATIVE_OPENING = re.compile(r",\s*(?:who|which|the|a|an)\b")
# An acronym in brackets stays in its name: "Centers for Disease Control (CDC) officials".
_CLAUSE_MARK = re.compile(r'[,;:—–“”"\n]|\((?![A-Z]{2,6}\))|\s-\s')
_ASIDE_MARK = re.compile(r"[,;]")
_BE = _wordset("is are was were be been being")
_PRONOUNS = _wordset("he she they it we i you one this that these those such")
_OUTLETS = (
    "Financial Times", "New York Times", "The Times", "Washington Post", "Wall Street Journal",
    "Reuters", "Bloomberg", "Guardian", "BBC", "CNN", "Associated Press", "AFP", "RFE/RL",
    "Radio Free Europe", "Meduza", "Mediazona", "Kyiv Independent", "Economist", "Politico",
    "Al Jazeera", "Interfax", "TASS", "RIA Novosti", "Kommersant", "Novaya Gazeta",
)  # fmt: skip
_ALIASES = {
    "british": ("British", "UK", "U.K.", "Britain's", "Britain’s", "United Kingdom"),
    "uk": ("British", "UK", "U.K.", "Britain's", "Britain’s"),
    "american": ("American", "US", "U.S.", "United States"),
    "us": ("American", "US", "U.S.", "United States"),
    "ukrainian": ("Ukrainian", "Ukraine's", "Ukraine’s"),
    "russian": ("Russian", "Russia's", "Russia’s"),
    "norwegian": ("Norwegian", "Norway's", "Norway’s"),
}

_ACCORDING_TO = re.compile(r"\b[Aa]ccording\s+to\s+")
_INVERTED = re.compile(
    r",\s*(?:says|said|adds|added|continues|continued|explains|explained|notes|noted|writes"
    r"|wrote|argues|argued|warns|warned|insists|insisted|concludes|concluded|stresses"
    r"|stressed|claims|claimed|believes)\s+(?=\S)"
)
_TAIL_VERBS = (
    r"says|said|adds|added|continues|continued|explains|explained|notes|noted|writes|wrote"
    r"|argues|argued|warns|warned|insists|insisted|concludes|concluded|stresses|stressed"
    r"|recalls|recalled|admits|admitted|claims|claimed|believes|told\s+\w+|tells\s+\w+"
    r"|asks|asked|replies|replied|according\s+to"
)
_TAIL_VERB_FIRST = re.compile(rf"\s*,?\s*(?:{_TAIL_VERBS})\s+(?=\S)")
_NAME = r"[^\W\d_](?:[\w’'/-]|\.(?=\w))*"
_TAIL_NAME_FIRST = re.compile(
    rf"\s*,?\s*(?P<src>(?:(?:a|an|the|one|another)\s+(?:{_NAME}\s+){{0,4}})?{_NAME}"
    rf"(?:\s+(?:of\s+|for\s+|and\s+)?{_NAME}){{0,6}})\s+(?:{_TAIL_VERBS})\b"
)
_INTRO = re.compile(
    rf"(?P<src>{_NAME}(?:\s+{_NAME}){{0,3}})\s+(?:says|said|told\s+\w+|wrote|writes|added"
    r"|adds|warned|warns|explained|explains)(?:\s+that)?\s*[:,]?\s*$"
)
_INTRO_WINDOW = 160  # "Dalhaug said:" stands right before the quotation it opens
_THERE_REPORTS = re.compile(
    r"\b(?:[Tt]here\s+(?:have|has|had|were|was|are|is)\s+(?:also\s+)?(?:been\s+)?|amid\s+)"
    r"(?P<src>(?:(?:media|unconfirmed|several|multiple|numerous|widespread)\s+)?reports)\b"
)
_IMPLIED = re.compile(
    r"\b(?:reportedly|allegedly|reputedly|purportedly|speculated|rumou?red"
    r"|(?:is|are|was|were)\s+(?:said|believed|thought|reported|alleged|claimed|accused)\b"
    r"|(?:has|have|had)\s+been\s+(?:reported|alleged|claimed))"
)
_QUOTE_MARK = re.compile(r"[“”\"]")
_WORD = re.compile(r"[^\W_](?:[\w’'/-]|\.(?=\w))*")
_STOP_PUNCT = ',.;:!?“”"()—–[]'


# --- quotations -------------------------------------------------------------------


def quote_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Opening and closing quote marks; a closing mark with no opening one (a scraper lost
    it, or the quote began in an earlier paragraph) opens at the paragraph's start, and an
    opening mark with no closing one runs to the paragraph's end: in print a quotation that
    goes on in the next paragraph is not closed."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _QUOTE_MARK.finditer(text, start, end):
        i, ch = m.start(), m.group()
        if ch == "“" or (ch == '"' and open_at is None):
            open_at = i if open_at is None else open_at
        elif ch in '”"':
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
            elif not pairs:
                pairs.append((start, i))
    if open_at is not None and end - open_at > 1:
        pairs.append((open_at, end - 1))
    return pairs


def sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    i = bisect_right(sentences, pos, key=lambda s: s.start) - 1
    return sentences[i] if i >= 0 and pos < sentences[i].end else None


def speaker_of(
    text: str, o: int, c: int, sentences: Sequence[Sentence], limit: int
) -> tuple[int, int] | None:
    """The speaker named right after a quotation closing at `c` or right before it opens at
    `o`; never read past `limit`, the paragraph's end (the next paragraph's "X said" is
    about its own statement)."""
    tail_end = min(limit, c + 160)
    m = _TAIL_VERB_FIRST.match(text, c + 1, tail_end)
    if m:
        return _source_span(text, m.end(), tail_end, prefer_punct=False)
    m = _TAIL_NAME_FIRST.match(text, c + 1, tail_end)
    if m and (span := _someone(text, m.start("src"), m.end("src"))):
        return span
    sentence = sentence_at(sentences, o)
    if sentence is not None and sentence.start < o:
        m = _INTRO.search(text, max(sentence.start, o - _INTRO_WINDOW), o)
        if m and (span := _someone(text, m.start("src"), m.end("src"))):
            return span
    return None


def _someone(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The speaker a phrase before a reporting verb names: the person after a role or
    titles ("Army spokesman Lt. Col. Nadav Shoshani"), a group ("a senior NATO official")."""
    words = name_in(text, [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)])
    if not words:
        return None
    named = text[words[0][0] : words[-1][1]]
    return (words[0][0], words[-1][1]) if _names_someone(named) else None


def _names_someone(phrase: str) -> bool:
    words = phrase.split()
    if words[0] in ("a", "an", "the", "one", "another") and len(words) > 1:
        return words[-1].lower() not in _PRONOUNS  # "a senior NATO official told reporters"
    if len(words) == 1 and words[0].lower() in ("he", "she", "they"):
        return True
    names = [w for w in words if w not in ("of", "for", "and")]
    return all(w[0].isupper() for w in names) and words[-1].lower() not in _PRONOUNS


# --- sources ----------------------------------------------------------------------


def _source_span(text: str, pos: int, limit: int, *, prefer_punct: bool) -> tuple[int, int] | None:
    """The source named at `pos`: "Dalhaug", "one Kyrgyz prisoner", "the UK Ministry of
    Defence", "American General Ben Hodges" → "Ben Hodges"."""
    # Words are read lazily, as far as the rules look (the first nine, or a capitalised
    # run): listing every word to the end of the unit for each cue grew with their product.
    author = _document_author(text, pos, min(limit, pos + _DOCUMENT_REACH))
    if author is not None:
        return author
    words = ((m.start(), m.end()) for m in _WORD.finditer(text, pos, limit))
    head = list(islice(words, 9))
    if not head:
        return None
    phrase_end = pos
    while phrase_end < head[-1][1] and text[phrase_end] not in _STOP_PUNCT:
        phrase_end += 1
    in_phrase = [w for w in head if w[1] <= phrase_end]
    starts_upper = text[head[0][0]].isupper()
    if in_phrase and (not starts_upper or (prefer_punct and len(in_phrase) <= 6)):
        kept = name_in(text, _until_clause_word(text, in_phrase[:8]))
        return (kept[0][0], kept[-1][1]) if kept else None
    return _capitalised_run(text, chain(head, words))


def _document_author(text: str, pos: int, limit: int) -> tuple[int, int] | None:
    """ "a new report from the National Oceanic and Atmospheric Administration", "the
    Election Commission's data": a document speaks for its author."""
    m = _DOCUMENT_BY.match(text, pos, limit)
    if m:
        return _capitalised_run(
            text, ((w.start(), w.end()) for w in _WORD.finditer(text, m.end(), limit))
        )
    m = _POSSESSOR.match(text, pos, limit)
    if m:
        return m.start("src"), m.end("src")
    return None


def _until_clause_word(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for w in words:
        if kept and text[w[0] : w[1]].lower() in ("that", "who", "which", "when", "while"):
            break
        kept.append(w)
    return kept


def _capitalised_run(text: str, words: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    run: list[tuple[int, int]] = []
    ahead = iter(words)
    word = next(ahead, None)
    while word is not None:
        s, e = word
        nxt = next(ahead, None)
        gap = text[run[-1][1] : s].strip() if run else ""
        if gap and not (gap == "." and "." in text[run[-1][0] : run[-1][1]]):
            break  # punctuation between words ends the name, but not "U.S. Geological"
        token = text[s:e]
        if token[0].isupper():
            run.append((s, e))
        elif is_role(token) and nxt is not None and text[nxt[0]].isupper():
            run = []  # "Foreign Ministry spokeswoman Maria Zakharova": the person speaks
        elif run and token in ("of", "for", "and", "the", "de", "von", "van", "bin", "al"):
            if nxt is None or not text[nxt[0]].isupper():
                break
            run.append((s, e))
        else:
            break
        word = nxt
    if not run:
        return None
    run = name_in(text, run)
    start, end = run[0][0], run[-1][1]
    return start, _unglue(text, start, end)


def _unglue(text: str, start: int, end: int) -> int:
    """ "According to Financial Timesa company…": a scraper glued the outlet to the next
    word; cut at a known outlet, or drop a glued article before a lowercase word."""
    name = text[start:end]
    for outlet in _OUTLETS:
        if name.startswith(outlet) and len(name) > len(outlet) and name[len(outlet)].isalpha():
            return start + len(outlet)
    glued = re.search(r"(?<=[a-z]{3})(?:a|an|the)$", name)
    follower = re.match(r"\s+([a-z]+)", text[end : end + 30])
    if glued and follower and follower.group(1) not in ("the", "a", "an", "of", "and"):
        return start + glued.start()
    return end


def find_source(text: str, start: int, end: int, masked: str) -> Attribution | None:
    """The source text[start:end] names itself, if any; `masked` is that text with its
    quotations blanked, so cue words inside a quotation are not read as the article's."""
    base = start
    tail = _TAIL.search(masked)
    if tail and not _CLAUSE_IN.search(tail["src"]) and not _is_number_word(tail["src"]):
        return found(text, _named(text, base + tail.start("src"), base + tail.end("src")))
    for m in _PER_DATA.finditer(masked):
        return found(text, (base + m.start("src"), base + m.end("src")))
    for m in _PASSIVE_BY.finditer(masked):
        span = _source_span(text, base + m.end(), end, prefer_punct=True)
        if span:
            return found(text, span)  # "figures are highlighted by several military experts"
    for m in _ACCORDING_TO.finditer(masked):
        span = _source_span(text, base + m.end(), end, prefer_punct=True)
        if span:
            return found(text, span)
    for m in _INVERTED.finditer(masked):
        first = _WORD.match(masked, m.end())
        if first is None or not (first.group()[0].isupper() or first.group() in _DETERMINERS):
            continue  # ", added that Moscow …": the speaker is before the verb
        span = _source_span(text, base + m.end(), end, prefer_punct=False)
        if span:
            return found(text, span)
    m2 = _THERE_REPORTS.search(masked)
    if m2:
        return found(text, (base + m2.start("src"), base + m2.end("src")))
    hit: tuple[int, int] | None = None
    hit_verb_end = -1
    clauses: _Clauses | None = None
    for m in _VERB.finditer(masked):
        clauses = clauses or _Clauses(masked)
        span = _subject(text, clauses, base, m)
        if hit is not None:
            # "media reports highlighted": "reports" was the noun of the next verb's subject.
            return found(text, span if span and span[1] == hit_verb_end else hit)
        if span:
            hit, hit_verb_end = span, base + m.end()
    return found(text, hit) if hit else None


class _Clauses:
    """The words and clause marks of one masked unit, found once: the subject of each
    reporting verb is read backwards from the verb, and scanning the unit from its start
    for every verb grew with the square of a long sentence."""

    def __init__(self, masked: str) -> None:
        self.masked = masked
        self.words = list(_WORD.finditer(masked))
        self.word_starts = [w.start() for w in self.words]
        self.marks = [m.start() for m in _CLAUSE_MARK.finditer(masked)]
        self.aside_marks = [m.start() for m in _ASIDE_MARK.finditer(masked)]
        self._lead: list[tuple[int, int] | None] = []

    def lead(self) -> tuple[int, int] | None:
        """The subject the unit opens with, read once."""
        if not self._lead:
            m = _LEAD_SUBJECT.match(self.masked)
            self._lead.append((m.start("src"), m.end("src")) if m else None)
        return self._lead[0]

    def clause_start(self, end: int) -> int:
        """After the last clause mark before `end`."""
        i = bisect_left(self.marks, end)
        return self.marks[i - 1] + 1 if i else 0

    def aside_before(self, end: int) -> int | None:
        """Where an aside closed by a comma just before `end` opens ("…, who spoke …,")."""
        close = end
        while close > 0 and self.masked[close - 1].isspace():
            close -= 1
        if close == 0 or self.masked[close - 1] != ",":
            return None
        i = bisect_left(self.aside_marks, close - 1)
        opening = self.aside_marks[i - 1] if i else None
        if opening is None or not _RELATIVE_OPENING.match(self.masked, opening):
            return None
        return opening

    def words_between(self, start: int, end: int) -> tuple[int, int]:
        """Index range of the words starting in [start, end)."""
        return bisect_left(self.word_starts, start), bisect_left(self.word_starts, end)

    def word(self, i: int, end: int) -> re.Match[str]:
        """Word i, cut at `end` as a search that stops there would cut it."""
        w = self.words[i]
        if w.end() <= end:
            return w
        cut = _WORD.match(self.masked, w.start(), end)
        assert cut is not None
        return cut


_TRAILING_ACRONYM = re.compile(r"\s*\([A-Z]{2,6}\)?$")


def found(text: str, span: tuple[int, int]) -> Attribution:
    """The source at `span`, without an acronym in brackets after the name it shortens."""
    start, end = span
    acronym = _TRAILING_ACRONYM.search(text, start, end)
    if acronym and acronym.start() > start:
        end = acronym.start()
    return Attribution(text[start:end], start, end)


def _subject(
    text: str, clauses: _Clauses, base: int, verb: re.Match[str]
) -> tuple[int, int] | None:
    """The noun phrase before a reporting verb, if it can be a source: "Western estimates
    suggest", "Dalhaug believes", "the Russian central bank announced"."""
    masked = clauses.masked
    v = verb["v"]
    reported = _CLAUSE_AFTER.match(masked, verb.end()) is not None
    if v in _GERUND_NEEDS_THAT and not reported:
        return None
    if v.endswith("s") and _NOUN_AFTER.match(masked, verb.end()):
        return None  # "versus estimates of $246.4 million": a noun, not a verb
    if v in _NEEDS_CONTENT and not _CONTENT_AFTER.match(masked, verb.end()):
        return None  # "Scalia wrote the dissent", "Russia announced a mobilisation": an act
    clause_end = verb.start()
    when = _WHEN_BEFORE_VERB.search(masked, max(0, clause_end - 60), clause_end)
    if when is not None and when.start() < clause_end:
        clause_end = when.start()
    aside = clauses.aside_before(clause_end)
    if aside is not None:
        clause_end = aside  # "The official, who spoke on condition …, added"
    opening = clauses.clause_start(clause_end)
    lo, hi = clauses.words_between(opening, clause_end)
    if lo == hi and v.endswith("ing") and masked[opening - 1 : opening] == ",":
        lead = clauses.lead()  # "The company sued, claiming …": its subject speaks
        return (base + lead[0], base + lead[1]) if lead else None
    last = clauses.word(hi - 1, clause_end) if hi > lo else None
    if last is not None and _is_be(last.group()) and not v.endswith("ing"):
        return None  # a passive ("figures are highlighted by …"): no speaker before the verb
    # Backwards from the verb: adverbs and auxiliaries, then up to eight words of phrase.
    i = hi - 1
    while i >= lo and _skipped_before_verb(clauses.word(i, clause_end).group()):
        i -= 1
    if i >= lo and clauses.word(i, clause_end).group().lower() == "and":
        if re.fullmatch(_EVIDENCE_VERBS, v) and not reported:
            return None  # "… won and ruled the country": an act, not a finding
        return _coordinated_subject(text, masked, base)  # "… attended and warned that"
    if i >= lo and clauses.word(i, clause_end).group().lower() in _ATTRIBUTIVE:
        return None  # "another predicted victory": the participle describes a noun
    phrase: list[re.Match[str]] = []
    content = 0  # the words of the phrase other than "of", "for", "and" inside a name
    while i >= lo and content <= 7:
        w = clauses.word(i, clause_end)
        low = w.group().lower()
        inside_name = (
            low in ("and", "of", "for") and bool(phrase) and phrase[0].group()[0].isupper()
            and i > lo and clauses.word(i - 1, clause_end).group()[0].isupper()
        )  # fmt: skip
        polled = low == "by" and i > lo and clauses.word(i - 1, clause_end).group() in _POLLED
        if low in _CLAUSE_WORDS and not inside_name and not polled:
            if low == "than":
                return None  # "more than the gain analysts were expecting": a benchmark
            break
        phrase.insert(0, w)
        content += not inside_name
        i -= 1
    if not phrase or content > 7:
        return None
    span = _speaker_phrase(text, base, phrase, v, reported=reported)
    if span is not None and " and " in masked[span[0] - base : span[1] - base]:
        # Read only a short way back: a list of names before a verb is a few words long.
        listed = span[0] - base < _LIST_REACH and _NAME_LIST_BEFORE.fullmatch(
            masked, 0, span[0] - base
        )
        if listed:  # "Ukraine, the United States and South Korea have accused …"
            first = _WORD.search(masked)
            span = (base + first.start(), span[1]) if first else span
    return span


def _is_be(word: str) -> bool:
    """ "was", or the "'s" of "it's expected": the verb after it is a passive."""
    low = word.lower()
    return low in _BE or (low.endswith(("'s", "’s", "'re", "’re")) and low[:-2] in _PRONOUNS)


def _skipped_before_verb(word: str) -> bool:
    return word.lower() in _AUX_ADVERBS or word.endswith("ly")


def _speaker_phrase(
    text: str, base: int, phrase: list[re.Match[str]], v: str, *, reported: bool
) -> tuple[int, int] | None:
    """The words before a reporting verb that can speak, as a span; None when they
    cannot (a number, a pronoun, a bare nationality, an unnamed thing)."""
    tokens = [_CONTRACTION.sub("", w.group()) for w in phrase]
    if any(_is_number_word(t) for t in tokens):
        return None  # "Thirty-four states …": a source is never a number
    head = tokens[-1].lower()
    if head in ("he", "she", "it", "they") and len(tokens) == 1:
        return base + phrase[0].start(), base + phrase[0].end()
    if any(t.lower() in _PRONOUNS for t in tokens) or head in _DETERMINERS:
        return None
    written = [w.group() for w in phrase]
    owner = next((i for i, t in enumerate(written[:-1]) if _POSSESSIVE_END.search(t)), None)
    if owner is not None and head in _DOCUMENT_NOUNS and tokens[owner][0].isupper():
        first = owner  # "the Election Commission's data revealed": the data's author speaks
        while first > 0 and tokens[first - 1][0].isupper():
            first -= 1
        return base + phrase[first].start(), base + phrase[owner].end() - 2
    if head in _EVIDENCE_NOUNS:
        keep = _evidence_start(tokens)
        return base + phrase[keep].start(), base + phrase[-1].end()
    evidence_verb = re.fullmatch(_EVIDENCE_VERBS, v) or v.startswith("point")
    # "indicates" and the like report only for a named person: "Putin has indicated"; a
    # finding stated as a clause for anyone named: "The jury found that …".
    named_person = v.startswith("indicat") and all(t[0].isupper() for t in tokens)
    can_find = any(t[0].isupper() for t in tokens[1:] or tokens) or head in _BODIES
    if evidence_verb and not (named_person or (reported and can_find)):
        return None
    if tokens[0] in _NATIONALITIES and len(tokens) == 1:
        return None
    named = any(t[0].isupper() for t in tokens)
    determined = tokens[0].lower() in _DETERMINERS and len(tokens) > 1
    if not (named or determined):
        return None
    # "Defence Minister Rustem Umerov", "EU foreign policy chief Kaja Kallas" → the name
    spans = name_in(text, [(base + w.start(), base + w.end()) for w in phrase])
    return spans[0][0], spans[-1][1]


def _coordinated_subject(text: str, masked: str, base: int) -> tuple[int, int] | None:
    """ "CDC Director Robert Redfield also attended the briefing and warned that …": the
    verb after "and" shares the subject the sentence opened with."""
    lead = _LEAD_NAME.match(masked)
    if lead is None or lead.group(1).split()[0].lower() in (
        _CLAUSE_WORDS | _DETERMINERS | _PREPOSITIONS
    ):
        return None
    spans = [(base + m.start(), base + m.end()) for m in _WORD.finditer(masked, 0, lead.end(1))]
    spans = name_in(text, spans)
    return spans[0][0], spans[-1][1]


def _named(text: str, start: int, end: int) -> tuple[int, int]:
    """A name without its role and titles ("Chief Justice John Roberts" → "John Roberts");
    a description stays whole ("the national statistical agency")."""
    words = name_in(text, [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)])
    return (words[0][0], words[-1][1]) if words else (start, end)


def _is_number_word(token: str) -> bool:
    first = token.lower().split("-")[0]
    return token[:1].isdigit() or first in _NUMBER_WORDS


def _evidence_start(tokens: list[str]) -> int:
    """Where "Western estimates", "most estimates", "a Kyiv International Institute of
    Sociology survey" begin: modifiers, a named body of two or more words, a determiner."""
    keep = len(tokens) - 1
    while keep > 0 and _modifies(tokens[keep - 1]):
        keep -= 1
    name = keep
    while name > 0 and (tokens[name - 1][0].isupper() or tokens[name - 1] in ("of", "for", "and")):
        name -= 1
    while name < keep and not tokens[name][0].isupper():
        name += 1  # a name cannot start with "of"
    if keep - name >= 1:  # "Oregon health officials", "CDC officials", "the Kyiv … survey"
        keep = name
        if keep > 0 and tokens[keep - 1].lower() in ("a", "an", "the"):
            keep -= 1
    return keep


def _modifies(token: str) -> bool:
    if token[0].isupper() and token.endswith(("’s", "'s")):
        return True  # "Ukraine’s military intelligence"
    if token.lower() in _DETERMINERS and token.lower() not in ("these", "those"):
        return True  # "Most estimates", "The official"
    return token in _NATIONALITIES or (token.islower() and token not in _CLAUSE_WORDS)


def context_of(text: str, attribution: Attribution, spans: Sequence[tuple[int, int]]) -> str | None:
    """ "British estimates" after "analysts from the British Ministry of Defence": the named
    body that the article mentioned shortly before."""
    words = attribution.text.split()
    if attribution.start is None or len(words) < 2 or words[-1].lower() not in _EVIDENCE_NOUNS:
        return None
    aliases = _ALIASES.get(words[0].lower())
    if not aliases:
        return None
    window_start = max(0, attribution.start - 600)
    nearby = spans[bisect_left([e for _, e in spans], window_start) :]
    before = " ".join(
        text[max(s, window_start) : min(e, attribution.start)]
        for s, e in nearby[: bisect_left([s for s, _ in nearby], attribution.start)]
    )
    alias = "|".join(re.escape(a) for a in aliases)
    best = None
    for m in re.finditer(rf"\b(?:{alias})(?:\s+(?:of|for|and|the)?\s*[A-Z][\w’'-]*)+", before):
        if len(m.group().split()) >= 2:
            best = m.group()
    return " ".join(best.split()) if best else None


def resolve_pronoun(
    attribution: Attribution, people: People, source: Attribution | None
) -> Attribution | None:
    """ "…,” she says.": "he"/"she" stands for the person `people` finds for it, or for
    nobody; "it said", "they said" for the last source of any kind."""
    word = attribution.text.lower()
    if word in ("he", "she", "him", "her"):
        person = people.stand_in(word)
        return Attribution(person.name, person.start, person.end) if person else None
    if word in ("it", "they") and source is not None:
        return Attribution(source.text, source.start, source.end, source.context)
    return attribution


_LABEL = re.compile(r"(?P<name>[A-Z][\w.’'/-]*(?:\s+[A-Z][\w.’'/-]*){0,3}):\s+(?=\S)")
_NOT_SPEAKERS = _wordset(
    """Summary Source Sources Note Editor Editorial Image Photo Photos Credit Update Updated
    Read Related Watch Listen Opinion Analysis Comment Exclusive Breaking Live Video Q A
    Question Answer Warning Disclaimer Correction Keywords Tags Topics Published Posted"""
)


def interview_label(text: str, start: int, end: int) -> Attribution | None:
    """ "Seth G. Jones: What we have done …": the paragraph is the answer of the speaker its
    label names (an interview's question is its interviewer's)."""
    m = _LABEL.match(text, start, end)
    if m is None or m["name"].split()[0] in _NOT_SPEAKERS:
        return None
    if len(text[m.end() : end].split()) < 6:
        return None  # "VVD: 33 seats": a list, not an answer
    return Attribution(m["name"], m.start("name"), m.end("name"))


def implied_source(masked: str) -> Attribution | None:
    """ "reportedly", "is said to", "has been alleged": a source the article leaves unnamed."""
    m = _IMPLIED.search(masked)
    return Attribution("unnamed sources", None, None, m.group()) if m else None


def opens_with_source(sentence: str) -> bool:
    """ "According to the agency, …": the paragraph that follows is the agency's account."""
    return _ACCORDING_TO.match(sentence.lstrip()) is not None


_DESCRIPTION = re.compile(r"(?:the|its|this|that)\s+(?:[a-z-]+\s+){0,3}[a-z]+$", re.IGNORECASE)


def is_description(name: str) -> bool:
    """ "the agency", "the national statistical agency": a source named by what it is, which
    stands for the organisation the article named before."""
    return _DESCRIPTION.fullmatch(name) is not None and not any(c.isupper() for c in name[1:])


def is_person(name: str) -> bool:
    """A source a later "he says" can refer to: a capitalised name, not an organisation,
    an outlet or "Western estimates"."""
    words = name.split()
    if not words or words[0] in ("The", "the") or name.isupper():
        return False
    if any(w.lower() in _EVIDENCE_NOUNS or w in ORG_WORDS for w in words):
        return False
    return all(w[0].isupper() for w in words) and len(words) <= 4
