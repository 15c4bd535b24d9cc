"""Claims: the sentences (or quoted passages) of an article that assert something checkable.

A unit of text is a claim when it carries a figure, names a source ("according to X",
"X says", "estimates suggest", "reportedly") or reports a dated event. A quoted passage
with its speaker ("“…,” says Dalhaug.") is one unit however many sentences it spans.
The kind follows one precedence: statistic > quotation > attributed > event, because a
figure is what cross-article conflict detection compares; the attribution is kept for
every kind. Pure rules over the text, no spaCy; the choices are recorded in
docs/decisions/0004-claims-and-figures.md. Finding the source and finding the unit share
the same vocabulary, which is why both live in this one module.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, islice
from typing import Literal

from app.extract.figures import Figure, parse_figures
from app.extract.sentences import Sentence, split_sentences
from app.words import MONTHS as _MONTHS
from app.words import wordset as _wordset

ClaimKind = Literal["statistic", "quotation", "attributed", "event"]

# A claim is a sentence or a quotation with its speaker: the longest in the seeds is 409
# characters. A longer unit is no claim (and comparing one "sentence" of 20,000 numbers
# with other articles' claims cost its number of figures times theirs).
MAX_CLAIM_CHARS = 2_000


@dataclass(frozen=True)
class Attribution:
    text: str  # the source as written: "British estimates", "Dalhaug", "RFE/RL"
    start: int | None  # offsets of that text in the article; None when only implied
    end: int | None
    context: str | None = None  # "British Ministry of Defence" for "British estimates"


@dataclass(frozen=True)
class ClaimDraft:
    start: int
    end: int
    text: str
    kind: ClaimKind
    attribution: Attribution | None
    figures: tuple[Figure, ...]
    when: str | None = None  # the date of a reported event: "November 19"


# --- vocabulary -----------------------------------------------------------------------


def _alternation(words: str) -> str:
    return "|".join(sorted(words.split(), key=len, reverse=True))


_SPEECH = _alternation(
    """says said say believes believe believed claims claimed claim reported reports reporting
    announced announces warned warns stated states told tells added adds continued continues
    noted notes argued argues wrote writes admitted admits confirmed confirms denied denies
    insisted insists alleged alleges hinted hints estimated estimate estimates predicted
    predicts suggested suggests suggest acknowledged acknowledges revealed reveals stressed
    explained explains concluded assessed assesses assess stating claiming saying warning
    consider considers considered"""
)
_EVIDENCE_VERBS = _alternation(
    """show shows showed indicate indicates indicated indicating range ranging ranged put puts
    emerged suggesting characterized characterised described describe highlighted highlights
    highlight exposed exposes reveal found finds find"""
)
_GERUND_NEEDS_THAT = _wordset("reporting stating claiming saying warning suggesting")
_VERB = re.compile(
    rf"\b(?P<v>{_SPEECH}|{_EVIDENCE_VERBS}|expressed(?=\s+(?:\w+\s+)?(?:concern|frustration"
    r"|doubts?|fears?|alarm|regret|hope|confidence|support))|point(?:s|ed)?\s+to)\b"
)
_EVIDENCE_NOUNS = _wordset(
    """estimates estimate reports report assessments assessment analysts analyst officials
    official sources source experts expert critics observers intelligence media data figures
    studies study surveys survey polls poll statistics accounts account documents leaks"""
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
# "The official, who spoke …, added", "Dmitry Medvedev, the deputy chairman …, claimed":
# the aside runs from this opening to the next comma, which closes it before the verb.
_RELATIVE_OPENING = re.compile(r",\s*(?:who|which|the|a|an)\b")
_CLAUSE_MARK = re.compile(r'[,;:—–(“”"\n]')
_ASIDE_MARK = re.compile(r"[,;]")
_THAT_AFTER = re.compile(r"\s+that\b")
_BE = _wordset("is are was were be been being")
_PRONOUNS = _wordset("he she they it we i you one this that these those such")
_TITLES = _wordset(
    """General Gen. President Prime Minister Professor Prof. Dr. Mr. Mrs. Ms. Colonel Col.
    Lieutenant Lt. Admiral Adm. Sergeant Senator Sen. Ambassador Chancellor Secretary
    Spokesman Spokeswoman Commander Marshal Major Maj. Captain Capt. Chief Director Deputy
    Vice Governor Mayor King Queen Pope Judge Defence Defense Foreign Analyst Researcher Mr
    Mrs Ms Dr Gen Prof Col Lt Adm Sen Maj Capt"""
)
_ORG_WORDS = _wordset(
    """Ministry Defence Defense Council Bank Institute Agency News Times Post Journal Office
    Department Government Kremlin Center Centre Commission Committee Service Forces Army
    University College Reuters Press Network Group Foundation Guardian Telegraph Economist
    Parliament Duma Staff Command Corporation Company Media Radio Television"""
)
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
    rf"(?:\s+{_NAME}){{0,3}})\s+(?:{_TAIL_VERBS})\b"
)
_INTRO = re.compile(
    rf"(?P<src>{_NAME}(?:\s+{_NAME}){{0,3}})\s+(?:says|said|told\s+\w+|wrote|writes|added"
    r"|adds|warned|warns|explained|explains)(?:\s+that)?\s*[:,]?\s*$"
)
# "Dalhaug said: “…”" is a name of at most four words and a verb: it is looked for in this
# many characters before the quotation, not from the start of a long sentence each time.
_INTRO_REACH = 200
_THERE_REPORTS = re.compile(
    r"\b(?:[Tt]here\s+(?:have|has|had|were|was|are|is)\s+(?:also\s+)?(?:been\s+)?|amid\s+)"
    r"(?P<src>(?:(?:media|unconfirmed|several|multiple|numerous|widespread)\s+)?reports)\b"
)
_IMPLIED = re.compile(
    r"\b(?:reportedly|allegedly|reputedly|purportedly|speculated|rumou?red"
    r"|(?:is|are|was|were)\s+(?:said|believed|thought|reported|alleged|claimed|accused)\b"
    r"|(?:has|have|had)\s+been\s+(?:reported|alleged|claimed))"
)
_ANAPHORA = re.compile(
    r"\b(?:[Aa]nother|[Aa]n\s+additional|[Aa]dditional|[Tt]he\s+(?:number|figure|total)"
    r"|[Tt]h(?:is|at)\s+figure|[Tt]hese\s+(?:\w+\s+)?(?:numbers|figures|estimates))\b"
)
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
_QUOTE_MARK = re.compile(r"[“”\"]")
_CAPTION = re.compile(r"(?:Image|Photo|Picture|Caption|Credit|Source|Video)s?\s*:")
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
_WORD = re.compile(r"[^\W_](?:[\w’'/-]|\.(?=\w))*")
_STOP_PUNCT = ',.;:!?“”"()—–[]'


# --- units: sentences, with attributed quotations merged -----------------------------


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    quotes: tuple[tuple[int, int], ...]  # quoted stretches inside the unit (masked for cues)
    speaker: tuple[int, int] | None = None  # where a quotation's speaker is written


def _units(text: str, start: int, end: int) -> list[_Unit]:
    sentences = split_sentences(text, start, end)
    pairs = _quote_pairs(text, start, end)
    # Quotations whose units overlap become one unit; its quotes are gathered in a list
    # (a tuple grown by concatenation cost the square of their number).
    groups: list[tuple[int, int, list[tuple[int, int]], tuple[int, int]]] = []
    for o, c in pairs:
        speaker = _speaker_of(text, o, c, sentences)
        if speaker is None:
            continue
        first = _sentence_at(sentences, o) or sentences[0]
        last = _sentence_at(sentences, speaker[1] - 1) or sentences[-1]
        u_start, u_end = min(first.start, o), max(last.end, speaker[1])
        if groups and u_start < groups[-1][1]:
            g_start, g_end, gathered, g_speaker = groups[-1]
            gathered.append((o, c))
            groups[-1] = (g_start, max(g_end, u_end), gathered, g_speaker)
        else:
            groups.append((u_start, u_end, [(o, c)], speaker))
    merged = [_Unit(a, b, tuple(found), who) for a, b, found, who in groups]
    units: list[_Unit] = list(merged)
    opens = [o for o, _ in pairs]
    taken = 0  # merged units are sorted and disjoint: walk them alongside the sentences
    for s in sentences:
        while taken < len(merged) and merged[taken].end <= s.start:
            taken += 1
        if taken < len(merged) and merged[taken].start < s.end:
            continue
        lo, hi = bisect_left(opens, s.start), bisect_left(opens, s.end)
        quotes = tuple((o, c) for o, c in pairs[lo:hi] if c < s.end)
        units.append(_Unit(s.start, s.end, quotes))
    return sorted(units, key=lambda u: u.start)


def _quote_pairs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Opening and closing quote marks; a closing mark with no opening one (a scraper lost
    it, or the quote began in an earlier paragraph) opens at the paragraph's start."""
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
    return pairs


def _sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    i = bisect_right(sentences, pos, key=lambda s: s.start) - 1
    return sentences[i] if i >= 0 and pos < sentences[i].end else None


def _speaker_of(text: str, o: int, c: int, sentences: Sequence[Sentence]) -> tuple[int, int] | None:
    tail_end = min(len(text), c + 160)
    m = _TAIL_VERB_FIRST.match(text, c + 1, tail_end)
    if m:
        return _source_span(text, m.end(), tail_end, prefer_punct=False)
    m = _TAIL_NAME_FIRST.match(text, c + 1, tail_end)
    if m and _names_someone(m["src"]):
        return m.start("src"), m.end("src")
    sentence = _sentence_at(sentences, o)
    if sentence is not None and sentence.start < o:
        m = _INTRO.search(text, max(sentence.start, o - _INTRO_REACH), o)
        if m and _names_someone(m["src"]):
            return m.start("src"), m.end("src")
    return None


def _names_someone(phrase: str) -> bool:
    words = phrase.split()
    if words[0] in ("a", "an", "the", "one", "another") and len(words) > 1:
        return words[-1].lower() not in _PRONOUNS  # "a senior NATO official told reporters"
    if len(words) == 1 and words[0].lower() in ("he", "she", "they"):
        return True
    return all(w[0].isupper() for w in words) and words[-1].lower() not in _PRONOUNS


# --- sources --------------------------------------------------------------------------


def _source_span(text: str, pos: int, limit: int, *, prefer_punct: bool) -> tuple[int, int] | None:
    """The source named at `pos`: "Dalhaug", "one Kyrgyz prisoner", "the UK Ministry of
    Defence", "American General Ben Hodges" → "Ben Hodges"."""
    # Words are read lazily, as far as the rules look (the first nine, or a capitalised
    # run): listing every word to the end of the unit for each cue grew with their product.
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
        kept = _until_clause_word(text, in_phrase[:8])
        return (kept[0][0], kept[-1][1]) if kept else None
    return _capitalised_run(text, chain(head, words))


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
        if run and text[run[-1][1] : s].strip():
            break  # punctuation between words ends the name
        token = text[s:e]
        if token[0].isupper():
            run.append((s, e))
        elif run and token in ("of", "for", "and", "the", "de", "von", "van", "bin", "al"):
            if nxt is None or not text[nxt[0]].isupper():
                break
            run.append((s, e))
        else:
            break
        word = nxt
    if not run:
        return None
    run = _strip_titles(text, run)
    start, end = run[0][0], run[-1][1]
    return start, _unglue(text, start, end)


def _strip_titles(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    last_title = max((i for i, (s, e) in enumerate(run) if text[s:e] in _TITLES), default=-1)
    rest = run[last_title + 1 :]
    return rest if rest and last_title >= 0 else run


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


def _masked(text: str, unit: _Unit) -> str:
    """The unit's text with quoted stretches blanked, so cue words inside a quotation
    ("I believe …") are not read as the article's own attribution."""
    chars = list(text[unit.start : unit.end])
    for o, c in unit.quotes:
        for i in range(max(o, unit.start), min(c + 1, unit.end)):
            chars[i - unit.start] = " "
    return "".join(chars)


def _find_source(text: str, unit: _Unit, masked: str) -> Attribution | None:
    """The source this unit names itself, if any."""
    base = unit.start
    for m in _ACCORDING_TO.finditer(masked):
        span = _source_span(text, base + m.end(), unit.end, prefer_punct=True)
        if span:
            return _found(text, span)
    for m in _INVERTED.finditer(masked):
        first = _WORD.match(masked, m.end())
        if first is None or not (first.group()[0].isupper() or first.group() in _DETERMINERS):
            continue  # ", added that Moscow …": the speaker is before the verb
        span = _source_span(text, base + m.end(), unit.end, prefer_punct=False)
        if span:
            return _found(text, span)
    m2 = _THERE_REPORTS.search(masked)
    if m2:
        return _found(text, (base + m2.start("src"), base + m2.end("src")))
    found: tuple[int, int] | None = None
    found_verb_end = -1
    clauses: _Clauses | None = None
    for m in _VERB.finditer(masked):
        clauses = clauses or _Clauses(masked)
        span = _subject(text, clauses, base, m)
        if found is not None:
            # "media reports highlighted": "reports" was the noun of the next verb's subject.
            return _found(text, span if span and span[1] == found_verb_end else found)
        if span:
            found, found_verb_end = span, base + m.end()
    return _found(text, found) if found else None


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


def _found(text: str, span: tuple[int, int]) -> Attribution:
    return Attribution(text[span[0] : span[1]], span[0], span[1])


def _subject(
    text: str, clauses: _Clauses, base: int, verb: re.Match[str]
) -> tuple[int, int] | None:
    """The noun phrase before a reporting verb, if it can be a source: "Western estimates
    suggest", "Dalhaug believes", "the Russian central bank announced"."""
    masked = clauses.masked
    v = verb["v"]
    if v in _GERUND_NEEDS_THAT and not _THAT_AFTER.match(masked, verb.end()):
        return None
    clause_end = verb.start()
    aside = clauses.aside_before(clause_end)
    if aside is not None:
        clause_end = aside  # "The official, who spoke on condition …, added"
    lo, hi = clauses.words_between(clauses.clause_start(clause_end), clause_end)
    words = [clauses.word(hi - 1, clause_end)] if hi > lo else []
    if words and words[-1].group().lower() in _BE:
        return None  # a passive ("figures are highlighted by …"): no speaker before the verb
    # Backwards from the verb: adverbs and auxiliaries, then up to eight words of phrase.
    i = hi - 1
    while i >= lo and _skipped_before_verb(clauses.word(i, clause_end).group()):
        i -= 1
    phrase: list[re.Match[str]] = []
    while i >= lo and len(phrase) <= 7:
        w = clauses.word(i, clause_end)
        if w.group().lower() in _CLAUSE_WORDS:
            break
        phrase.insert(0, w)
        i -= 1
    if not phrase or len(phrase) > 7:
        return None
    tokens = [w.group() for w in phrase]
    head = tokens[-1].lower()
    if head in ("he", "she") and len(tokens) == 1:
        return base + phrase[0].start(), base + phrase[0].end()
    if any(t.lower() in _PRONOUNS for t in tokens) or head in _DETERMINERS:
        return None
    if head in _EVIDENCE_NOUNS:
        keep = _evidence_start(tokens)
        return base + phrase[keep].start(), base + phrase[-1].end()
    evidence_verb = re.fullmatch(_EVIDENCE_VERBS, v) or v.startswith("point")
    # "indicates" and the like report only for a named person: "Putin has indicated".
    if evidence_verb and not (v.startswith("indicat") and all(t[0].isupper() for t in tokens)):
        return None
    if tokens[0] in _NATIONALITIES and len(tokens) == 1:
        return None
    named = any(t[0].isupper() for t in tokens)
    determined = tokens[0].lower() in _DETERMINERS and len(tokens) > 1
    if not (named or determined):
        return None
    spans = [(base + w.start(), base + w.end()) for w in phrase]
    if all(t[0].isupper() for t in tokens):
        spans = _strip_titles(text, spans)  # "Defence Minister Rustem Umerov" → the name
    return spans[0][0], spans[-1][1]


def _skipped_before_verb(word: str) -> bool:
    return word.lower() in _AUX_ADVERBS or word.endswith("ly")


def _evidence_start(tokens: list[str]) -> int:
    """Where "Western estimates", "most estimates", "a Kyiv International Institute of
    Sociology survey" begin: modifiers, a named body of two or more words, a determiner."""
    keep = len(tokens) - 1
    while keep > 0 and _modifies(tokens[keep - 1]):
        keep -= 1
    name = keep
    while name > 0 and (tokens[name - 1][0].isupper() or tokens[name - 1] in ("of", "for")):
        name -= 1
    while name < keep and not tokens[name][0].isupper():
        name += 1  # a name cannot start with "of"
    if keep - name >= 2:
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


@dataclass(frozen=True)
class _Paragraphs:
    """The paragraph spans of an article, sorted, with their starts and ends for bisection
    (rebuilt for each claim, they cost the number of paragraphs per claim)."""

    spans: list[tuple[int, int]]
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> _Paragraphs:
        return cls(spans, [s for s, _ in spans], [e for _, e in spans])


def _context(text: str, attribution: Attribution, paragraphs: _Paragraphs) -> str | None:
    """ "British estimates" after "analysts from the British Ministry of Defence": the named
    body that the article mentioned shortly before."""
    words = attribution.text.split()
    if attribution.start is None or len(words) < 2 or words[-1].lower() not in _EVIDENCE_NOUNS:
        return None
    aliases = _ALIASES.get(words[0].lower())
    if not aliases:
        return None
    window_start = max(0, attribution.start - 600)
    lo = bisect_left(paragraphs.ends, window_start)
    hi = bisect_left(paragraphs.starts, attribution.start, lo)
    before = " ".join(
        text[max(s, window_start) : min(e, attribution.start)] for s, e in paragraphs.spans[lo:hi]
    )
    alias = "|".join(re.escape(a) for a in aliases)
    best = None
    for m in re.finditer(rf"\b(?:{alias})(?:\s+(?:of|for|and|the)?\s*[A-Z][\w’'-]*)+", before):
        if len(m.group().split()) >= 2:
            best = m.group()
    return " ".join(best.split()) if best else None


# --- claims ---------------------------------------------------------------------------


def extract_claims(text: str, content_spans: Sequence[tuple[int, int]]) -> list[ClaimDraft]:
    """The claims in the given paragraph blocks of `text`, sorted and non-overlapping."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in content_spans if s < e)
    paragraphs = _Paragraphs.of(spans)
    claims: list[ClaimDraft] = []
    speaker: Attribution | None = None  # the last person quoted, for a later "he says"
    for start, end in spans:
        source_claim: ClaimDraft | None = None  # a statistic whose source the next may share
        for unit in _units(text, start, end):
            made = _claim(text, unit, paragraphs, speaker, source_claim)
            claim, names_source = made if made else (None, False)
            source_claim = claim if names_source else None
            if claim is None:
                continue
            a = claim.attribution
            if a is not None and a.start is not None and is_person(a.text):
                speaker = a
            claims.append(claim)
    return claims


def _claim(
    text: str,
    unit: _Unit,
    paragraphs: _Paragraphs,
    speaker: Attribution | None,
    source_claim: ClaimDraft | None,
) -> tuple[ClaimDraft, bool] | None:
    """The claim this unit makes, if any, and whether it names its own source outside a
    quotation (so that the next figure sentence may refer back to it)."""
    if unit.end - unit.start > MAX_CLAIM_CHARS:
        return None  # run-on text without sentence ends, or a table flattened to a line
    body = text[unit.start : unit.end]
    if _CAPTION.match(body) or body.rstrip("”\"’') ").endswith("?"):
        return None
    if not _TERMINAL.search(body) and len(body.split()) <= 12:
        return None  # a heading or a label that slipped into the content
    masked = _masked(text, unit)
    figures = tuple(parse_figures(body, unit.start))
    own = _found(text, unit.speaker) if unit.speaker else _find_source(text, unit, masked)
    attribution = _resolve(own, speaker) if own else None
    if own is None and source_claim is not None and _refers_back(masked, figures):
        attribution = source_claim.attribution
        figures = _refer_back(figures, source_claim.figures)
    if attribution is None:
        implied = _IMPLIED.search(masked)
        if implied:
            attribution = Attribution("unnamed sources", None, None, implied.group())
    if attribution is not None and attribution.context is None:
        attribution = replace(attribution, context=_context(text, attribution, paragraphs))
    date = _DATE.search(masked)
    when = " ".join(date.group().split()) if date else None
    kind: ClaimKind
    if figures:
        kind = "statistic"
    elif unit.speaker and attribution is not None:
        kind = "quotation"
    elif attribution is not None:
        kind = "attributed"
    elif when is not None:
        kind = "event"
    else:
        return None
    claim = ClaimDraft(unit.start, unit.end, body, kind, attribution, figures, when)
    return claim, own is not None and not unit.speaker and kind == "statistic"


def _resolve(attribution: Attribution, speaker: Attribution | None) -> Attribution:
    """ "…,” he says.": the pronoun stands for the last person the article quoted."""
    if attribution.text.lower() not in ("he", "she") or speaker is None:
        return attribution
    return Attribution(speaker.text, speaker.start, speaker.end, speaker.context)


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
        replace(f, unit=model.unit, period=f.period or model.period) if f.unit is None else f
        for f in figures
    )


def is_person(name: str) -> bool:
    """A source a later "he says" can refer to: a capitalised name, not an organisation,
    an outlet or "Western estimates"."""
    words = name.split()
    if not words or words[0] in ("The", "the") or name.isupper():
        return False
    if any(w.lower() in _EVIDENCE_NOUNS or w in _ORG_WORDS for w in words):
        return False
    return all(w[0].isupper() for w in words) and len(words) <= 4


def claim_in_span(text: str, start: int, end: int) -> ClaimDraft:
    """The claim an analyst marked in [start, end): its figures and attribution read as
    extraction reads a sentence, its kind whatever the span shows (an event when it shows
    neither figures, nor a source, nor a date: the analyst says it is a claim)."""
    unit = _Unit(start, end, tuple(_quote_pairs(text, start, end)))
    body = text[start:end]
    masked = _masked(text, unit)
    figures = tuple(parse_figures(body, start))
    attribution = _find_source(text, unit, masked)
    if attribution is None and (implied := _IMPLIED.search(masked)):
        attribution = Attribution("unnamed sources", None, None, implied.group())
    date = _DATE.search(masked)
    kind: ClaimKind = "statistic" if figures else "attributed" if attribution else "event"
    when = " ".join(date.group().split()) if date else None
    return ClaimDraft(start, end, body, kind, attribution, figures, when)
