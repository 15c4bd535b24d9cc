"""Publication dates: read from the page's markup, a byline or the opening dateline; never
from the prose, a caption or an "Updated" line when a publication date is given."""

from __future__ import annotations

import pytest

from app.ingest import read_document
from app.ingest.dates import published_in_text, read_date

BODY = "Consumer prices rose 0.9 percent in October, the statistics bureau said on Wednesday."


@pytest.mark.parametrize(
    ("text", "published"),
    [
        (f"Prices rise\n\nSource: Xinhua| 2018-02-09 13:03|Editor: M\n\n{BODY}", "2018-02-09"),
        (f"Prices rise\n\nATLANTA, Feb. 20, 2014 /PRNewswire/ -- {BODY}", "2014-02-20"),
        (f"Prices rise\n\n{BODY}\n\nUSGS Newsroom - Tue, 04/28/2015 - 09:00", "2015-04-28"),
        (f"Prices rise\n\nPublished: 8 November 2018\n\n{BODY}", "2018-11-08"),
        (f"Prices rise\n\nUpdated March 3, 2020 | Published March 1, 2020\n\n{BODY}", "2020-03-01"),
        (f"Prices rise\n\nBEIJING, Feb. 9 (Xinhua) -- {BODY}", None),
        (f"A boy cools off at a hydrant in New York, July 6, 2016.\n\n{BODY}", None),
        (f"Prices rise\n\n{BODY} The index peaked on March 15, 2017.", None),
    ],
)  # fmt: skip
def test_dates_in_bylines_and_datelines(text: str, published: str | None) -> None:
    assert read_document("a.txt", text.encode()).published == published


def test_the_markup_date_of_a_web_page() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2021-11-10T08:00:00Z">'
        f"<title>Prices rise</title></head><body><p>{BODY}</p></body></html>"
    )
    assert read_document("a.html", html.encode()).published == "2021-11-10"


def test_the_markup_date_of_a_page_read_as_its_visible_text() -> None:
    """A page with no article to tell apart (markup nested deeper than a parser builds) is
    read as the text it shows, dated by its markup all the same."""
    html = (
        '<html><head><meta property="article:published_time" content="2021-11-10T08:00:00Z">'
        f"<title>Prices rise</title></head><body>{'<div>' * 300}{BODY}</body></html>"
    )
    draft = read_document("a.html", html.encode())
    assert (draft.text, draft.published) == (BODY, "2021-11-10")


def test_the_front_matter_date_of_markdown() -> None:
    text = f"---\ntitle: Prices rise\ndate: 2020-03-04\n---\n\n{BODY}\n"
    assert read_document("a.md", text.encode()).published == "2020-03-04"


def test_impossible_dates_are_no_dates() -> None:
    assert read_date("Published 2021-02-30") is None
    assert published_in_text(["Posted: 31/31/2020"]) is None
