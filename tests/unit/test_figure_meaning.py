"""Figures that mean what they say: changes with both ends, signs, periods and years that are
not quantities, units from currency words, scales and temperatures, one unit for one
quantity (tests/golden/realnews/README.md, conventions 2–10)."""

from __future__ import annotations

import pytest

from app.extract import units
from app.extract.figures import Figure, parse_figures


def only(text: str, **kw: str) -> Figure:
    figures = parse_figures(text, **kw)
    assert len(figures) == 1, figures
    return figures[0]


def numbers(f: Figure) -> tuple[float | None, float | None, float | None, float | None]:
    return f.value, f.low, f.high, f.previous


@pytest.mark.parametrize(
    ("text", "value", "previous", "unit"),
    [
        ("registrations fell from 72,224 to 68,557 in a year", 68557, 72224, None),
        ("The toll was raised to 34 from 16 on Tuesday.", 34, 16, None),
        ("the party won 21 seats, down from 26 in 2019", 21, 26, "seat"),
        ("slid to 50 seats from 57 before the vote", 50, 57, "seat"),
    ],
)
def test_a_change_keeps_both_ends(text: str, value: float, previous: float, unit: str) -> None:
    f = only(text)
    assert (f.value, f.previous, f.unit) == (value, previous, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Prices in Alaska (−26.1%) fell most.", -26.1, "percent"),
        ("Turnout changed by -3.5% in the district.", -3.5, "percent"),
        ("It ended at minus 12 degrees Celsius.", -12, "celsius"),
        ("Diluted EPS was $(0.03) per share.", -0.03, "USD"),
    ],
)
def test_minus_signs_and_accounting_brackets_make_negative_values(
    text: str, value: float, unit: str
) -> None:
    f = only(text)
    assert (f.value, f.unit) == (value, unit)


def test_a_fall_stays_positive_the_direction_is_in_the_words() -> None:
    assert only("Sales fell 0.2% in May.").value == 0.2


@pytest.mark.parametrize(
    "text",
    [
        "According to 2018 estimates, the city grew.",
        "It was the best result since the 2019 general elections.",
        "Over the last 12 months the index rose steadily.",
        "He was jailed for 30 days and fined.",
        "Steve Bannon, 68, was found guilty.",
        "The court ruled 6-3 in favour of the government.",
        "Call 954-236-1067 for details.",
    ],
)
def test_years_periods_ages_splits_and_phone_numbers_are_no_figures(text: str) -> None:
    assert parse_figures(text) == []


def test_a_total_measured_in_days_is_a_figure() -> None:
    f = only("The 5,119 days of tracking data showed a pattern.")
    assert (f.value, f.unit) == (5119, "day")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("exports of 17.41 billion U.S. dollars", 17.41e9, "USD"),
        ("sales of 19.74 billion Danish crowns", 19.74e9, "DKK"),
        ("a loss of 7 cents a share", 0.07, "USD"),
        ("a budget of 3.5 trillion yuan", 3.5e12, "CNY"),
        ("inflation of 2.1 per cent", 2.1, "percent"),
        ("a 0.3-percent rise", 0.3, "percent"),
        ("land use released 4.2Gt of CO2", 4.2e9, "tonne"),
        ("concentrations of 422.5 parts per million", 422.5, "ppm"),
        ("an area of 500 square miles", 500, "mile2"),
    ],
)
def test_units_from_currency_words_scales_and_measures(text: str, value: float, unit: str) -> None:
    f = only(text)
    assert f.value == pytest.approx(value) and f.unit == unit


def test_a_bare_amount_after_money_in_the_same_sentence_is_that_money() -> None:
    sales, forecast = parse_figures(
        "Sales rose to 19.74 billion Danish crowns, compared with 19.31 billion forecast."
    )
    assert (sales.unit, forecast.unit, forecast.value) == ("DKK", "DKK", 19.31e9)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("warming of 1.5°C since 1850", "celsius"),
        ("a full 1 °C above the average", "celsius"),
        ("about 1.5 degree C. This is new.", "celsius"),
        ("highs of 104 degrees Fahrenheit", "fahrenheit"),
        ("temperatures of 98°F", "fahrenheit"),
    ],
)
def test_temperatures_carry_their_scale(text: str, unit: str) -> None:
    assert parse_figures(text)[0].unit == unit


def test_degrees_alone_take_the_scale_of_the_text() -> None:
    text = "Temperatures of 112-116 degrees are expected."
    assert only(text, degrees="fahrenheit").unit == "fahrenheit"
    assert only(text).unit == "celsius"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("As many as 1,800 people died in 2005.", "death"),
        ("18 million people worldwide have died so far", "death"),
        ("Russia has lost some 325,000 dead", "death"),
        ("more than 49,000 confirmed fatalities", "death"),
        ("1.2 million Russian forces killed, wounded, or missing", "casualty"),
        ("3,000 North Korean special forces arrived", "soldier"),
        ("at least 10,000 troops were prepared", "soldier"),
        ("showing the two wounded North Korean soldiers", "soldier"),
        ("officials confirmed 23 measles cases", "case"),
        ("none of the nine people who were sick", "person"),
        ("a rate above 300 deaths per 100,000 in 21 countries", "death per 100,000"),
    ],
)
def test_one_quantity_has_one_unit(text: str, unit: str) -> None:
    assert parse_figures(text)[0].unit == unit


def test_approximate_figures_are_values_and_bounding_words_set_one_bound() -> None:
    assert numbers(only("nearly 75% of revenue")) == (75, 75, 75, None)
    assert numbers(only("mortality exceeded 300 deaths")) == (300, 300, None, None)
    assert numbers(only("up to 2,000 men")) == (2000, None, 2000, None)


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("about half of the company's sales", 0.5, 0.5, 0.5),
        ("more than a third of sales", 1 / 3, 1 / 3, None),
        ("two-thirds of the seats", 2 / 3, 2 / 3, 2 / 3),
        ("The party nearly doubled its tally.", 2, 2, 2),
    ],
)
def test_shares_and_multiples_in_words(text: str, value: float, low: float, high: float) -> None:
    f = only(text)
    assert f.unit is None
    assert (f.value, f.low) == (pytest.approx(value), pytest.approx(low))
    assert f.high == (None if high is None else pytest.approx(high))


def test_counts_a_sentence_gives_a_unit() -> None:
    text = "In Maharashtra, the Congress won 13 seats, Shiv Sena won 9 and the NCP won 8."
    assert [f.unit for f in parse_figures(text)] == ["seat"] * 3
    (toll,) = parse_figures("The official death toll has been increased to 34.")
    assert toll.unit == "death"
    two, nine = parse_figures("Officials say two of the nine cases were confirmed.")
    assert (two.value, two.unit, nine.unit) == (2, "case", "case")


@pytest.mark.parametrize(
    "text",
    ["a record of 1.2Â°C above average", "a record of 1.2آ°C above average"],
)
def test_a_mis_decoded_degree_sign_is_still_a_temperature(text: str) -> None:
    f = only(text)
    assert (f.value, f.unit) == (1.2, "celsius")


def test_crowns_alone_are_the_crowns_of_the_country_the_text_names() -> None:
    text = "Profit rose to 4.1 billion crowns."
    assert only(text, crown="SEK").unit == "SEK"
    assert only(text).unit == "crown"  # no country named: no currency guessed
    assert units.crown_of("The Danish brewer's sales rose.") == "DKK"
    assert units.crown_of("Sweden and Norway traded.") is None  # two crowns: no guess


def test_a_signed_percentage_after_a_share_is_its_change_in_points() -> None:
    votes, share, change = parse_figures("Ana Lima (Green) 1,777 (3.94%, +1.29%)")
    assert (share.value, share.unit) == (3.94, "percent")
    assert (change.text, change.value, change.unit) == ("+1.29%", 1.29, "percentage point")
    _, loss = parse_figures("Tom Hale (Ind) 2,209 (4.90%, -14.25%)")[1:]
    assert (loss.value, loss.unit) == (-14.25, "percentage point")
    assert only("a 2.30% swing from Labour").unit == "percentage point"
    assert only("Shares rose +5% on Monday.").unit == "percent"  # no share before it


def test_a_share_and_a_count_after_it_are_no_range() -> None:
    share, count = parse_figures("deaths fell 77.8 percent to 3,783 in June")
    assert (share.value, share.unit, count.value) == (77.8, "percent", 3783)
    assert numbers(only("rents rose 5 to 7 percent")) == (None, 5, 7, None)


def test_a_measure_after_of_is_the_unit() -> None:
    f = only("troops hold hundreds of square miles")
    assert (f.low, f.high, f.unit) == (200, 999, "mile2")


def test_north_of_is_a_lower_bound() -> None:
    assert numbers(only("hiring well north of 150,000")) == (150000, 150000, None, None)
