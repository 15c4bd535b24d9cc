"""Sentences and claims: which passages an analyst gets as checkable claims, with whom they
are attributed to."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.claims import ClaimDraft, extract_claims
from app.extract.sentences import split_sentences

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def texts(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [s.text for s in split_sentences(text, start, end)]


def claims_of(text: str) -> list[ClaimDraft]:
    """Claims with every blank-line separated paragraph passed as content."""
    spans, pos = [], 0
    for para in text.split("\n\n"):
        spans.append((pos, pos + len(para)))
        pos += len(para) + 2
    return extract_claims(text, spans)


def one_claim(text: str) -> ClaimDraft:
    found = claims_of(text)
    assert len(found) == 1, found
    return found[0]


# --- sentences ------------------------------------------------------------------------


SPLITS = [
    ("Reports suggest a deal in the U.S. couldn’t wait. It came.", 2),
    ("He lives in the U.S. The war goes on.", 2),
    ("Gen. Ben Hodges and Dr. Smith met Mr. Lee.", 1),
    ("They may recruit in Moscow and St. Petersburg. Next.", 2),
    ("Donald J. Trump won. Yes.", 2),
    ("It fell to 1,163 and 1.5 percent. Then 2.", 2),
    ("It was 5 a.m. The shelling began.", 2),
    ("“It is over.” He left.", 2),
    ("“Is it over?” he asked. No.", 2),
    ("“We lost,” says Dalhaug. Then silence.", 2),
    ("Wait… It came. And so… it went.", 3),
    ("land—an area the size of Virginia—if agreed. Done.", 2),
    ("Heading without stop\nThe body starts here.", 2),
    ("one paragraph.\n\nAnother one.", 2),
    ("a wrapped\nline goes on.", 1),
]


@pytest.mark.parametrize(("text", "count"), SPLITS)
def test_sentence_splitting(text: str, count: int) -> None:
    found = texts(text)
    assert len(found) == count, found
    squeeze = str.maketrans("", "", " \n")
    assert "".join(found).translate(squeeze) == text.translate(squeeze)  # nothing lost


def test_sentence_boundaries_fall_after_closing_quotes_and_abbreviations() -> None:
    assert texts("“It is over.” He left.") == ["“It is over.”", "He left."]
    assert texts("He lives in the U.S. The war goes on.") == [
        "He lives in the U.S.",
        "The war goes on.",
    ]
    assert texts("“Is it over?” he asked. No.") == ["“Is it over?” he asked.", "No."]
    assert texts("Wait… It came.") == ["Wait…", "It came."]


def test_sentence_offsets_point_into_the_text_and_respect_the_range() -> None:
    text = "Intro. First sentence here. Second one! Outro."
    start = text.index("First")
    end = text.index("Outro")
    found = split_sentences(text, start, end)
    assert [s.text for s in found] == ["First sentence here.", "Second one!"]
    assert all(text[s.start : s.end] == s.text for s in found)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .?!…”“\n,U.S12")), max_size=60))
def test_sentences_are_ordered_trimmed_slices(text: str) -> None:
    previous_end = 0
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text == s.text.strip()
        assert s.text and s.start >= previous_end
        previous_end = s.end


# --- claims: the seed cases -----------------------------------------------------------

BRITISH = (
    "Indeed, these extreme loss figures are highlighted by several military experts, "
    "including analysts from the British Ministry of Defence.\n\n"
    "According to British estimates, an average of 1,262 Russian soldiers were killed or "
    "wounded each day in May. In June, the number fell to 1,163, possibly because the Russian "
    "offensive in the Kharkiv region had stalled."
)


def test_british_estimates_are_a_statistic_with_source_and_context() -> None:
    experts, may, june = claims_of(BRITISH)
    assert experts.attribution is not None  # "highlighted by several military experts"
    assert may.text.startswith("According to British estimates")
    assert may.kind == "statistic"
    assert may.attribution is not None
    assert may.attribution.text == "British estimates"
    assert may.attribution.context == "British Ministry of Defence"
    assert (may.attribution.start, may.attribution.end) == (
        BRITISH.index("British estimates"),
        BRITISH.index("British estimates") + len("British estimates"),
    )
    (figure,) = may.figures
    assert (figure.value, figure.unit, figure.period, figure.scope) == (
        1262,
        "casualty",  # killed or wounded
        "day",
        "May",
    )
    assert june.kind == "statistic"
    assert june.attribution == may.attribution  # "the number" refers back to the estimate
    (fell,) = june.figures
    assert (fell.value, fell.unit, fell.period, fell.scope) == (1163, "casualty", "day", "June")


def test_each_sentence_of_a_quotation_is_a_claim_attributed_to_its_speaker() -> None:
    text = (
        "“The big question is whether the Russians can sustain the loss of 1,000-1,300 soldiers "
        "month after month. Russia lost 300 tanks last month,” says Tormod Heier, "
        "professor of strategy at the Norwegian Defence College (FHS)."
    )
    first, second = claims_of(text)
    assert first.text.endswith("month after month.") and second.text.startswith("Russia lost")
    assert [c.attribution and c.attribution.text for c in (first, second)] == ["Tormod Heier"] * 2
    assert first.kind == second.kind == "statistic"  # a figure outranks the quotation
    assert first.figures[0].period == "month"


def test_quotations_he_says_and_believes() -> None:
    text = (
        "“They lack the soldiers to manage the long front line,” says Dalhaug.\n\n"
        "“The Russian casualty numbers are very high,” Dalhaug continues. Even though they have "
        "managed to recruit new soldiers, Dalhaug believes this continuously harms the Russian "
        "military.\n\n"
        "When losses are so high, this results in less prepared soldiers being sent to the "
        "front. This then increases the rate of loss,” he says."
    )
    by_start = {c.text[:12]: c for c in claims_of(text)}
    first, second = by_start["“They lack t"], by_start["“The Russian"]
    believes, lost_quote = by_start["Even though "], by_start["This then in"]
    assert (first.kind, first.attribution and first.attribution.text) == ("quotation", "Dalhaug")
    assert second.text.endswith("Dalhaug continues.")
    assert second.attribution is not None and second.attribution.text == "Dalhaug"
    assert believes.kind == "attributed"
    assert believes.attribution is not None and believes.attribution.text == "Dalhaug"
    # The opening quote mark was lost by the scraper: the paragraph is the quotation, and
    # "he" is the last person named.
    assert by_start["When losses "].attribution == lost_quote.attribution
    assert lost_quote.kind == "quotation" and lost_quote.text.endswith("he says.")
    assert lost_quote.attribution is not None and lost_quote.attribution.text == "Dalhaug"


SOURCES = [
    ("Western estimates suggest that 115,000 Russian troops have died.", "Western estimates"),
    ("Reports suggest that Putin accepted a deal.", "Reports"),
    ("In October 2024 report per RFE/RL claimed that officials made it harsh.", "RFE/RL"),
    (
        "According to Financial Timesa company linked to the Houthis supplied Russia with "
        "hundreds of Yemeni mercenaries.",
        "Financial Times",
    ),
    (
        "This weakens Russia’s military capacity with each passing day, says American General "
        "Ben Hodges in a discussion platform for The Times.",
        "Ben Hodges",
    ),
    ("Tormod Heier believes that it took Putin a long time to mobilize.", "Tormod Heier"),
    (
        "According to the UK Ministry of Defence, Russia has suffered more than 45,000 casualties.",
        "the UK Ministry of Defence",
    ),
    ("According to various reports, Putin was inclined to a deal.", "various reports"),
    (
        "In mid-July, the Russian central bank announced that the rate was raised to 18 percent.",
        "the Russian central bank",
    ),
    ("Most estimates point to hundreds of thousands of soldiers killed.", "Most estimates"),
    ("“They keep you in a cold cell,” according to one Kyrgyz prisoner.", "one Kyrgyz prisoner"),
    (
        "The official, who spoke on condition of anonymity, added that 6% goes there.",
        "The official",
    ),
    (
        "Dmitry Medvedev, the deputy chairman of the Security Council, claimed that 450,000 "
        "people signed up.",
        "Dmitry Medvedev",
    ),
]


@pytest.mark.parametrize(("text", "source"), SOURCES)
def test_attribution_names_the_source_as_written(text: str, source: str) -> None:
    claim = one_claim(text)
    assert claim.attribution is not None
    assert claim.attribution.text == source
    a = claim.attribution
    assert a.start is not None and a.end is not None and text[a.start : a.end] == source


def test_reportedly_is_an_implied_source_without_offsets() -> None:
    claim = one_claim("The Kremlin reportedly used foreign fighters from the early stages.")
    assert claim.kind == "attributed"
    assert claim.attribution is not None
    assert (claim.attribution.start, claim.attribution.context) == (None, "reportedly")


EVENTS = [
    ("On November 19, he ominously warned of the use of nuclear weapons.", "November 19"),
    ("Since November 1, draft notices in Russia are now delivered online.", "November 1"),
    ("A week ago, the Kremlin raised the pay for volunteers.", "A week ago"),
    ("Ukraine launched an incursion into Kursk Oblast in the summer of 2024.", "summer of 2024"),
]


@pytest.mark.parametrize(("text", "when"), EVENTS)
def test_dated_events_are_claims(text: str, when: str) -> None:
    claim = one_claim(text)
    assert claim.kind in ("event", "attributed")
    assert claim.when == when


def test_an_age_change_in_april_is_a_statistic_dated_april() -> None:
    claim = one_claim(
        "In April, President Volodymyr Zelensky lowered the age of those who can be mobilized "
        "from 27 to 25."
    )
    assert (claim.kind, claim.when) == ("statistic", "April")
    assert (claim.figures[0].value, claim.figures[0].unit) == (25, "year")


NOT_CLAIMS = [
    "Who’s Being Drafted?",
    "Is the Kremlin running out of men? How many were recruited in 2024?",
    "The high casualty rate and recruitment difficulties indicate that the war cannot go on.",
    "Russia will need another 300,000 men by spring.",
    "The ministry is expected to announce a new call-up next week.",
    "If the offensive stalls, Moscow could order a second mobilisation.",
    "The West should send more air defence systems.",
    "Russia’s Heavy Losses and Recruitment Woes",
    "Image: Vladimir Putin holds a meeting in Moscow. December 5, 2024 (Sputnik)",
    "“I believe a new recruitment risks another exodus,” the text goes on.",
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_questions_headings_opinions_and_captions_are_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_only_content_spans_are_read() -> None:
    heading = "Russia loses 1,262 soldiers a day"
    body = "According to British estimates, 1,262 Russian soldiers were killed each day."
    text = f"{heading}\n{body}\nRead : 5,000 more stories"
    start = text.index(body)
    (claim,) = extract_claims(text, [(start, start + len(body))])
    assert claim.text == body
    assert extract_claims(text, []) == []


def test_claims_are_sorted_disjoint_and_inside_their_spans() -> None:
    text = (SEEDS / "003_e7ca62889314f5fd.txt").read_text(encoding="utf-8")
    spans = []
    pos = 0
    for line in text.split("\n"):
        if len(line.split()) > 5:
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    found = extract_claims(text, list(reversed(spans)))
    assert len(found) >= 15
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for c in found:
        assert text[c.start : c.end] == c.text
        assert any(s <= c.start and c.end <= e for s, e in spans)


def test_a_line_of_a_results_table_is_a_statistic_and_a_headline_is_not() -> None:
    text = (
        "Ana Lima (Green) 1,777 (3.94%, +1.29%)\n\n"
        "Electorate 72,728; Turnout 45,111 (62.03%)\n\n"
        "Coalition secures 313 seats in lower house"
    )
    found = claims_of(text)
    assert [c.kind for c in found] == ["statistic", "statistic"]
    assert [c.text for c in found][0] == "Ana Lima (Green) 1,777 (3.94%, +1.29%)"
