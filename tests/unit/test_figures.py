"""Figures: what an analyst reads as a number in a sentence, and what is not a figure."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extract.figures import Figure, parse_figures
from app.schemas import FigureOut


def only(text: str) -> Figure:
    figures = parse_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


def bounds(f: Figure) -> tuple[float | None, float | None, float | None]:
    return f.value, f.low, f.high


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Russia lost 115,000 men.", 115000, "man"),
        ("an average of 1,262 Russian soldiers were killed", 1262, "death"),
        ("an average of 1,262 Russian soldiers were deployed", 1262, "soldier"),
        ("It grew 1.5 times.", 1.5, None),
        ("a budget of 1.5 million", 1.5e6, None),
        ("North Korea sent ten thousand troops", 10000, "soldier"),
        ("a labour shortage of five million people", 5e6, "person"),
        ("some twenty-five recruits", 25, "recruit"),
        ("half a million refugees", 5e5, "refugee"),
        ("granted citizenship to 3,000 foreigners", 3000, "foreigner"),
        ("suffered 45,000 casualties", 45000, "casualty"),
        ("gathered 30,000 migrants", 30000, "migrant"),
        ("hired 200 Yemeni mercenaries", 200, "mercenary"),
        ("captured 1,000 square kilometers", 1000, "km2"),
        ("captured 1,000 km2", 1000, "km2"),
    ],
)
def test_single_numbers_in_digits_and_words(text: str, value: float, unit: str | None) -> None:
    f = only(text)
    assert bounds(f) == (value, value, value)
    assert f.unit == unit
    assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("between 115,000 to 160,000 Russian troops", 115000, 160000, "soldier"),
        ("between 115,000 and 160,000 Russian troops", 115000, 160000, "soldier"),
        ("recruit 25,000 to 30,000 soldiers", 25000, 30000, "soldier"),
        ("from 16 to 18 percent of voters", 16, 18, "percent"),
        ("estimates ranging from a few thousand to 15,000", 2000, 15000, None),
        ("the loss of 1,000-1,300 soldiers", 1000, 1300, "soldier"),
        ("the loss of 1,000–1,300 soldiers", 1000, 1300, "soldier"),
        ("between 5 and 10 million dollars", 5e6, 1e7, "USD"),
    ],
)
def test_ranges_have_bounds_and_no_single_value(
    text: str, low: float, high: float, unit: str | None
) -> None:
    f = only(text)
    assert bounds(f) == (None, low, high)
    assert f.unit == unit


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("hundreds of thousands of Russian soldiers", 200_000, 999_999),
        ("tens of thousands of recruits", 20_000, 99_999),
        ("a few thousand volunteers", 2000, 9000),
        ("several hundred thousand men", 300_000, 900_000),
        ("dozens of drones", 24, 99),
        ("hundreds of Yemeni mercenaries", 200, 999),
    ],
)
def test_vague_quantities_are_ranges(text: str, low: float, high: float) -> None:
    f = only(text)
    assert bounds(f) == (None, low, high)


def test_a_vague_quantity_keeps_its_counted_noun() -> None:
    assert only("hundreds of thousands of Russian soldiers").unit == "soldier"
    assert only("hundreds of Yemeni mercenaries").unit == "mercenary"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("nearly wiping out 90% of the force", 90, "percent"),
        ("raised to 18 percent", 18, "percent"),
        ("18 per cent", 18, "percent"),
        ("a payment of 400,000 rubles", 400_000, "RUB"),
        ("equivalent to 50,000 NOK", 50_000, "NOK"),
        ("worth $5 billion", 5e9, "USD"),
        ("a €3m contract", 3e6, "EUR"),
        ("a £2.5bn package", 2.5e9, "GBP"),
        ("13.5 trillion rubles", 13.5e12, "RUB"),
        ("200 million euros", 2e8, "EUR"),
    ],
)
def test_percentages_and_money_carry_their_unit(text: str, value: float, unit: str) -> None:
    f = only(text)
    assert f.value == value
    assert f.unit == unit


@pytest.mark.parametrize(
    ("text", "qualifier", "low", "high"),
    [
        ("gathered more than 30,000 migrants", "more than", 30000, None),
        ("over 1,000 drones", "over", 1000, None),
        ("at least 500 civilians", "at least", 500, None),
        ("as high as five million people", "as high as", None, 5e6),
        ("up to 2,000 men", "up to", None, 2000),
        ("nearly 90% of the force", "nearly", 90, 90),
        ("only slightly less than 1,000 square kilometers", "only slightly less than", None, 1000),
        ("approximately ten thousand troops", "approximately", 10000, 10000),
        ("about 700,000 potential Russian soldiers", "about", 700_000, 700_000),
        ("around 50,000 NOK", "around", 50_000, 50_000),
        ("an average of 1,262 soldiers", "an average of", 1262, 1262),
    ],
)
def test_qualifiers_set_the_bounds_and_keep_the_stated_value(
    text: str, qualifier: str, low: float | None, high: float | None
) -> None:
    f = only(text)
    assert f.qualifier == qualifier
    assert (f.low, f.high) == (low, high)
    assert f.value == (low if low is not None else high)
    assert f.text.startswith(qualifier.split()[0])


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("recruit 20,000 new soldiers every month", "month"),
        ("recruiting 20,000 new soldiers each month", "month"),
        ("1,262 soldiers were killed or wounded each day in May", "day"),
        ("losing 1,200 men per day", "day"),
        ("20,000 recruits a month", "month"),
        ("the loss of 1,000-1,300 soldiers month after month", "month"),
        ("Every week, 300 volunteers sign up.", "week"),
        ("210,000 rubles monthly", "month"),
        ("1,000 km2 within a year", None),
        ("3,000 soldiers arrived a week ago", None),
        ("more than 3,000 foreigners", None),
    ],
)
def test_rates_are_read_from_the_sentence(text: str, period: str | None) -> None:
    assert only(text).period == period


def test_a_named_month_scopes_the_figure_and_the_next_sentence_has_its_own() -> None:
    text = (
        "According to British estimates, an average of 1,262 Russian soldiers were killed or "
        "wounded each day in May. In June, the number fell to 1,163."
    )
    may, june = parse_figures(text)
    assert (may.value, may.unit, may.period, may.scope) == (1262, "casualty", "day", "May")
    assert (june.value, june.scope) == (1163, "June")


def test_a_month_and_year_scope() -> None:
    f = only("As of November 2024, Russia has granted citizenship to more than 3,000 foreigners.")
    assert f.scope == "November 2024"


def test_a_change_from_one_value_to_another_is_the_new_value() -> None:
    f = only("the base interest rate was raised from 16 to 18 percent in hopes")
    assert (f.value, f.low, f.high, f.previous, f.unit) == (18, 18, 18, 16, "percent")


def test_an_age_change_is_in_years() -> None:
    f = only("Zelensky lowered the age of those who can be mobilized from 27 to 25.")
    assert (f.value, f.previous, f.unit) == (25, 27, "year")
    assert f.text == "from 27 to 25"


def test_another_counts_what_the_figure_before_it_counted() -> None:
    died, wounded = parse_figures(
        "between 115,000 and 160,000 Russian troops have died, with another 500,000 wounded."
    )
    assert (died.unit, wounded.unit, wounded.value) == ("death", "wounded", 500_000)
    may, june = parse_figures("Russia recruited 20,000 soldiers in May and another 15,000 in June.")
    assert may.unit == june.unit == "soldier"


def test_fractions_are_shares_of_one() -> None:
    f = only("Roughly two-thirds of Ukrainians oppose concessions.")
    assert f.unit is None
    assert f.value == pytest.approx(0.6667, abs=0.0001)
    assert only("the prison population fell by a third.").value == pytest.approx(0.3333, abs=1e-4)
    assert only("Sales nearly doubled.").value == 2
    assert parse_figures("a third party") == []


def test_seed_recruitment_figures_are_comparable() -> None:
    twenty = only("Russia is scrambling to recruit 20,000 new soldiers every month.")
    range_ = only("they have managed to recruit between 25,000 to 30,000 soldiers each month")
    assert (twenty.value, twenty.unit, twenty.period) == (20000, "soldier", "month")
    assert (range_.low, range_.high, range_.unit, range_.period) == (
        25000,
        30000,
        "soldier",
        "month",
    )


@pytest.mark.parametrize(
    "text",
    [
        "The war, which has raged since February 2022, goes on.",
        "as he did in 2022.",
        "during the 1990s and the mid-1990s",
        "draft notices since November 1 and on November 19",
        "on December 5, 2024 (Sputnik)",
        "since the 17th century",
        "the first intercontinental ballistic missile",
        "at 10:30 or at 5 p.m.",
        "1. First point",
        "2) second point",
        "F-16 jets and COVID-19",
        "approaches the three-year mark",
        "Dorchester Center, MA 02124",
        "under Article 5 of the treaty",
        "in just the last two weeks",
        "one notable tactic",
        "a 17-year-old conscript",
        "It runs 24/7.",
    ],
)
def test_years_dates_ordinals_times_and_labels_are_not_figures(text: str) -> None:
    assert parse_figures(text) == []


def test_offsets_shift_by_base_and_cover_the_figure() -> None:
    text = "They were promised 400,000 rubles—equivalent to around 50,000 NOK."
    rubles, nok = parse_figures(text, base=100)
    assert (rubles.start, rubles.text) == (100 + text.index("400,000"), "400,000 rubles")
    assert nok.text == "around 50,000 NOK"
    assert text[nok.start - 100 : nok.end - 100] == nok.text


def test_a_stored_figure_holds_every_field_the_api_sends() -> None:
    # Extraction stores dataclasses.asdict(figure); the API reads FigureOut's fields from it.
    stored = asdict(only("recruit 20,000 new soldiers every month"))
    assert set(FigureOut.model_fields) <= stored.keys()
    out = FigureOut.model_validate({k: stored[k] for k in FigureOut.model_fields})
    assert (out.text, out.value, out.period) == ("20,000 new soldiers", 20000, "month")


_PIECES = st.sampled_from(
    [
        "between ", "from ", " to ", " and ", "-", "–", "more than ", "a few ", "thousand",
        " million", "hundreds of ", "1,262", "25,000", "0.5", "17th", "2022", "May ", "$", "€",
        "%", " percent", " soldiers", " each month", "two-thirds of ", "ten", "-year", ":",
        "November 1", ", ", ". ", "\n", "“", "”", "raised ", "age ", "another ",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=20).map("".join), st.integers(0, 50)
)
def test_parse_figures_never_fails_and_offsets_hold(text: str, base: int) -> None:
    for f in parse_figures(text, base):
        assert text[f.start - base : f.end - base] == f.text
        assert f.low is None or f.high is None or f.low <= f.high
        assert f.value is None or (f.low is None or f.low <= f.value)
        assert f.value is None or (f.high is None or f.value <= f.high)
