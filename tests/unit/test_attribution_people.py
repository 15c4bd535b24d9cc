"""People as sources: a name after a role or a title is the person, not the role or the
organisation in it; "she"/"he" stands for the most recent person of that gender the text
gives, and for nobody when no person fits."""

from __future__ import annotations

import pytest

from app.extract.pipeline import attribution_mention, extract
from app.ingest import read_document
from tests.unit.test_claims import claims_of


def source_of(text: str, opening: str) -> str | None:
    """The source of the claim that starts with `opening`."""
    (claim,) = [c for c in claims_of(text) if c.text.startswith(opening)]
    return claim.attribution.text if claim.attribution else None


TITLED = [
    ("Foreign ministry spokeswoman Maria Zakharova said the ship carried 41 containers.",
     "Maria Zakharova"),
    ("Defence Minister Pål Jonson told reporters that the navy had escorted the tanker out "
     "of Swedish waters.", "Pål Jonson"),
    ("Army spokesman Lt. Col. Nadav Shoshani said the strike hit a weapons depot in the "
     "north of the city.", "Nadav Shoshani"),
    ("EU foreign policy chief Kaja Kallas said the bloc had frozen 210 billion euros of "
     "Russian central bank assets.", "Kaja Kallas"),
    ("“The vessel had switched off its transponder,” said Foreign Ministry spokeswoman Maria "
     "Zakharova.", "Maria Zakharova"),
    ("“The vessel had switched off its transponder,” Foreign ministry spokeswoman Maria "
     "Zakharova told a briefing.", "Maria Zakharova"),
    ("The drone was shot down over the Negev, army spokesman Lt. Col. Nadav Shoshani said.",
     "Nadav Shoshani"),
    ("Sanctions have cut Russia's oil revenue by a third, according to EU foreign policy "
     "chief Kaja Kallas.", "Kaja Kallas"),
    ("Ericsson CEO Borje Ekholm said sales in North America rose 4 percent.", "Borje Ekholm"),
    ("Chief Justice John Roberts said the mandate was a tax.", "John Roberts"),
    ("Bank of England Governor Andrew Bailey said inflation fell to 2.3% in April.",
     "Andrew Bailey"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "source"), TITLED)
def test_a_person_named_after_a_role_or_title_is_the_source(text: str, source: str) -> None:
    (claim,) = claims_of(text)
    assert claim.attribution is not None and claim.attribution.text == source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The Defence Ministry said 12 drones were shot down overnight.", "The Defence Ministry"),
        ("Foreign ministry officials said the talks lasted four hours.",
         "Foreign ministry officials"),
        ("The ministry's chief economist said growth slowed to 1.1%.",
         "The ministry's chief economist"),
    ],
)  # fmt: skip
def test_an_organisation_or_a_description_stays_whole(text: str, source: str) -> None:
    (claim,) = claims_of(text)
    assert claim.attribution is not None and claim.attribution.text == source


def test_she_is_the_woman_introduced_after_the_man_quoted() -> None:
    text = (
        "“We have seen no evidence that the cranes were sabotaged,” said Tom Harris, the "
        "port's security director.\n\n"
        "Linda Okafor, the port authority's chief executive, visited the terminal on "
        "Tuesday.\n\n"
        "“Two cranes were damaged and 14 containers fell into the water,” she told reporters."
    )
    assert source_of(text, "“We have seen") == "Tom Harris"
    assert source_of(text, "“Two cranes") == "Linda Okafor"


def test_she_skips_a_man_quoted_later_and_he_skips_the_woman() -> None:
    text = (
        "Opposition leader Ana Novak said on Sunday that 312 people had been detained since "
        "Friday. She said 40 of them were students.\n\n"
        "Interior Minister Ivan Petrov said police had acted within the law. He added that 17 "
        "officers were injured in the clashes.\n\n"
        "She said 12 of the detainees were minors.\n\n"
        "Petrov said 90 people had since been released. “All of them were questioned,” he said."
    )
    assert source_of(text, "She said 40") == "Ana Novak"
    assert source_of(text, "He added") == "Ivan Petrov"
    assert source_of(text, "She said 12") == "Ana Novak"
    assert source_of(text, "Petrov said 90") == "Petrov"
    assert source_of(text, "“All of them") == "Ivan Petrov"


def test_a_title_or_a_gendered_noun_tells_who_she_is() -> None:
    text = (
        "The mayor, Mr. Daniel Reyes, said the flood had destroyed 230 homes.\n\n"
        "Carmen Ruiz, a mother of three whose house was flooded, waited at the shelter.\n\n"
        "“The water rose 2 metres in an hour,” she said.\n\n"
        "Reyes said the city had spent $4 million on pumps. Ruiz said her street had no "
        "pumps at all. “We were told to wait,” she said."
    )
    assert source_of(text, "“The water") == "Carmen Ruiz"
    assert source_of(text, "“We were told") == "Carmen Ruiz"


def test_of_two_women_she_is_the_more_recent() -> None:
    text = (
        "Health Minister Sarah Lindqvist said 4 million doses had been delivered. She said a "
        "further 2 million had been ordered.\n\n"
        "Emma Holt, a spokeswoman for the regional health authority, said 1.2 million doses "
        "had expired in storage.\n\n"
        "“Nobody has told us where the missing doses went,” she said.\n\n"
        "Ms Lindqvist said an audit had found 300,000 doses in a warehouse. She added that the "
        "audit covered 21 regions."
    )
    assert source_of(text, "She said a further") == "Sarah Lindqvist"
    assert source_of(text, "“Nobody") == "Emma Holt"
    assert source_of(text, "Ms Lindqvist") == "Lindqvist"
    assert source_of(text, "She added") == "Sarah Lindqvist"


def test_she_with_no_woman_named_has_no_source() -> None:
    text = (
        "Defence Minister Pål Jonson told reporters that two corvettes had been sent to the "
        "Baltic. He said the ships carried 140 sailors.\n\n"
        "“Three drones were shot down over Gotland,” she said."
    )
    assert source_of(text, "He said") == "Pål Jonson"
    assert source_of(text, "“Three drones") is None


def test_her_refers_to_the_woman_not_the_man_quoted_last() -> None:
    text = (
        "Prosecutor Helena Brandt said the company had paid $3 million in bribes.\n\n"
        "Defence lawyer Mr. Jonas Weber said his client had paid no bribes.\n\n"
        "According to her, the payments were made through 11 shell companies."
    )
    assert source_of(text, "Defence lawyer") == "Jonas Weber"
    assert source_of(text, "According to her") == "Helena Brandt"


def test_a_pronoun_with_no_person_named_has_no_source() -> None:
    text = "The storm cut power to 80,000 homes. “Crews are working through the night,” he said."
    assert source_of(text, "“Crews") is None


def test_he_after_a_woman_is_the_man_named_before_her() -> None:
    text = (
        "Army spokesman Lt. Col. Nadav Shoshani said the strike hit a weapons depot in the "
        "north of the city.\n\n"
        "Dr. Rania Haddad, director of the city's main hospital, said 23 people had been "
        "admitted overnight. “Eight of them are children,” she said.\n\n"
        "“The depot was 40 metres from the school,” he said. Shoshani said the army had "
        "warned residents an hour before the strike."
    )
    assert source_of(text, "“Eight of them") == "Rania Haddad"
    assert source_of(text, "“The depot") == "Nadav Shoshani"
    assert source_of(text, "Shoshani said") == "Shoshani"


def test_the_person_after_a_title_is_the_entity_the_claim_links_to() -> None:
    text = (
        "Russia says seized ship carried arms\n\n"
        "MOSCOW (Reuters) - Foreign ministry spokeswoman Maria Zakharova said the ship "
        "carried 41 containers.\n\n"
        "EU foreign policy chief Kaja Kallas said the bloc had frozen 210 billion euros of "
        "Russian assets."
    )
    found = extract(read_document("a.txt", text.encode()))
    linked = [attribution_mention(c, found.entities) for c in found.claims]
    assert [(m.name, m.label) if m else None for m in linked] == [
        ("Maria Zakharova", "PERSON"),
        ("Kaja Kallas", "PERSON"),
    ]


def test_a_speakers_own_pronoun_tells_who_she_is() -> None:
    text = (
        "Ana Novak said her lawyers had filed 57 complaints. Ivan Petrov said his officers "
        "had released 90 detainees.\n\n"
        "“Not one of the complaints has been answered,” she said."
    )
    assert source_of(text, "“Not one") == "Ana Novak"
