"""Attribution that holds: quotations continued across sentences and paragraphs, reporting
verbs and phrases, group sources, pronouns to the last named speaker, interview answers;
a source is a noun phrase that can speak, never a date, a number or a nationality alone."""

from __future__ import annotations

import pytest

from tests.unit.test_claims import claims_of


def sources(text: str) -> list[str | None]:
    return [c.attribution.text if c.attribution else None for c in claims_of(text)]


def test_a_quotation_keeps_its_speaker_over_sentences_and_paragraphs() -> None:
    text = (
        "“Clogs grew in every region. Our results were strong in Asia,” Rees said Thursday.\n\n"
        "“It was embraced by students for back-to-school wear.\n\n"
        "“Sales in Europe rose for the third quarter in a row,” he added."
    )
    assert sources(text) == ["Rees"] * 4


def test_a_paragraph_opened_by_according_to_keeps_its_source() -> None:
    text = (
        "According to the agency, higher prices at the pump pushed the index up. Canadians "
        "renewed mortgages at higher rates.\n\n"
        "Food prices rose in October."
    )
    assert sources(text) == ["the agency", "the agency", None]


SOURCES = [
    ("Oregon health officials say 23 measles cases were confirmed.", "Oregon health officials"),
    ("U.S. officials are now saying that troops are fighting.", "U.S. officials"),
    ("Sales in China continued a positive trajectory, Carlsberg said.", "Carlsberg"),
    (
        "Prices rose 5%, the national statistical agency said on Wednesday.",
        "the national statistical agency",
    ),
    (
        "Hot days are expected, according to a new report from the National Weather Service.",
        "National Weather Service",
    ),
    ("The party won 240 seats, the Election Commission's data revealed.", "Election Commission"),
    (
        "In the U.S., 961,620 deaths were reported, per Centers for Disease Control and "
        "Prevention data.",
        "Centers for Disease Control and Prevention",
    ),
    (
        "CDC Director Robert Redfield also attended the briefing and warned that the U.S. is "
        "at risk.",
        "Robert Redfield",
    ),
    ("The figures are highlighted by several military experts.", "several military experts"),
    ("Analysts were expecting a 3.9 percent gain in overall prices.", "Analysts"),
]


@pytest.mark.parametrize(("text", "source"), SOURCES)
def test_the_source_is_the_noun_phrase_that_speaks(text: str, source: str) -> None:
    (claim,) = claims_of(text)
    assert claim.attribution is not None and claim.attribution.text == source


@pytest.mark.parametrize(
    "text",
    [
        "Thirty-four states currently rely on the federal marketplace.",
        "Justice Antonin Scalia wrote the dissent and was joined by two justices.",
        "Russia and North Korea have denied the claims.",
        "Revenue topped $261.1 million versus estimates of $246.4 million.",
    ],
)
def test_an_actor_a_number_or_a_noun_is_no_source(text: str) -> None:
    (claim,) = claims_of(text)
    assert claim.attribution is None


def test_an_interview_answer_is_its_speakers() -> None:
    text = (
        "RFE/RL: Your estimates put Russian losses at 325,000 killed in the war so far.\n\n"
        "Seth G. Jones: We have estimated the number of Russian casualties at 950,000.\n\n"
        "We’ve also assessed Ukrainian casualties as well, not just on the Russian side."
    )
    assert sources(text) == ["RFE/RL", "Seth G. Jones", "Seth G. Jones"]


def test_a_dateline_is_no_interview_label() -> None:
    text = "SEOUL: South Korea's spy agency said on Sunday that two soldiers were captured."
    (claim,) = claims_of(text)
    assert claim.attribution is not None and claim.attribution.text != "SEOUL"


def test_it_said_is_the_last_source() -> None:
    text = (
        "CSIS said the data suggest that Russia is hardly winning.\n\n"
        "Russia is becoming a second-rate economic power as the war rages on, it said."
    )
    assert sources(text) == ["CSIS", "CSIS"]


FINDINGS = [
    ("The tribunal found that the port authority had broken its contract.", "The tribunal"),
    ("A jury decided in 2019 that the builder hid defects from buyers.", "A jury"),
    ("The appeals court determined the award was not excessive.", "The appeals court"),
    ("In a statement, the IMF highlighted that growth slowed in every region.", "the IMF"),
    ("The regulator shows the number of complaints has doubled.", "The regulator"),
    ("Many economists were skeptical that the survey was accurate.", "Many economists"),
    ("Private forecasters had expected a rise in hiring in March.", "Private forecasters"),
    (
        "The Federation of Small Farms, which represents growers, published its survey on "
        "Monday, confirming that harvests fell.",
        "The Federation of Small Farms",
    ),
    ("The union sued in 2015, claiming the airline was underpaying pilots.", "The union"),
    (
        "Chile, the United States and Peru have accused the trawler of fishing illegally.",
        "Chile, the United States and Peru",
    ),
    (
        "Japan's Meteorological Agency on Tuesday (Aug 4) backed up the navy's account of the "
        "storm, after Tokyo said ships were damaged.",
        "Japan's Meteorological Agency",
    ),
    (
        "Food prices rose in 40 countries, National Institutes of Health (NIH) officials said.",
        "National Institutes of Health (NIH) officials",
    ),
    (
        "Fish stocks recovered, according to a survey led by the U.S. Fish and Wildlife Service.",
        "U.S. Fish and Wildlife Service",
    ),
    ("The bank's turnover grew, the Reserve Bank (RBA) said on Monday.", "the Reserve Bank"),
]


@pytest.mark.parametrize(("text", "source"), FINDINGS)
def test_findings_judgements_and_group_sources(text: str, source: str) -> None:
    (claim,) = claims_of(text)
    assert claim.attribution is not None and claim.attribution.text == source


@pytest.mark.parametrize(
    "text",
    [
        "Results came in from Leeds where the Greens took another predicted seat.",
        "The 2 percent rise was more than the 1 percent gain economists polled by Bloomberg "
        "were expecting.",
        "Since 1990, the party has always won a majority and ruled the country alone.",
        "The chart below shows that arrests fell to 2,100 in May.",
        "The ship has been repaired twice, but it's expected to sail on until 2026.",
    ],
)
def test_an_act_a_benchmark_or_a_thing_is_no_source(text: str) -> None:
    (claim,) = claims_of(text)
    assert claim.attribution is None


def test_the_next_paragraphs_speaker_is_not_this_quotations() -> None:
    text = (
        '"Orders were weak," said Ana Ruiz, an economist at Banco Sur. "We had expected '
        'more demand from abroad."\n\n'
        "The ministry said exports fell 3 percent in June."
    )
    assert sources(text) == ["Ana Ruiz", "Ana Ruiz", "The ministry"]


def test_a_quotation_left_open_goes_on_in_the_next_paragraph() -> None:
    text = (
        'Mendes added "The river rose two metres in a day. The levees held in every town.\n\n'
        '"Every village on the delta was evacuated before the flood."'
    )
    assert sources(text) == ["Mendes"] * 3
