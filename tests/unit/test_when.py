"""When a figure holds, and when two figures are as of different dates."""

from __future__ import annotations

from datetime import date

import pytest

from app.analysis.when import LATER_GAP_DAYS, apart, as_of


def test_a_stated_month_is_read_in_the_publication_year() -> None:
    found = as_of("may", "2024-07-02")
    assert found is not None
    assert (found.start, found.end, found.label) == (
        date(2024, 5, 1),
        date(2024, 5, 31),
        "May 2024",
    )


def test_without_a_scope_a_figure_holds_as_of_its_publication_date() -> None:
    found = as_of(None, "2025-01-12")
    assert found is not None and found.start == found.end == date(2025, 1, 12)
    assert as_of(None, None) is None
    assert as_of(None, "not a date") is None


@pytest.mark.parametrize(
    ("a", "b", "later"),
    [
        (("may", None), ("june", None), True),  # months of one (unknown) year
        ((None, "2024-11-20"), (None, "2025-03-01"), True),
        ((None, "2024-11-20"), (None, "2024-12-01"), False),  # within LATER_GAP_DAYS
        (("2024", None), ("2025", None), True),
        (("2024", None), (None, "2024-06-01"), False),  # overlapping periods
        (("may", None), (None, "2024-06-01"), False),  # a month without a year vs a date
        ((None, None), (None, "2024-06-01"), False),  # an unknown date is no later date
    ],
)
def test_figures_are_apart_when_their_dates_differ_by_a_month_or_more(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None], later: bool
) -> None:
    assert apart(as_of(*a), as_of(*b)) is later
    assert apart(as_of(*b), as_of(*a)) is later


def test_the_gap_is_four_weeks() -> None:
    assert LATER_GAP_DAYS == 28
    assert apart(as_of(None, "2024-01-01"), as_of(None, "2024-01-29"))
    assert not apart(as_of(None, "2024-01-01"), as_of(None, "2024-01-28"))
