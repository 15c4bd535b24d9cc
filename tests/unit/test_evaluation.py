"""The scorer's definitions on small hand-made cases (they are documented in
tests/golden/realnews/README.md and in app/evaluation/score.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.evaluation.__main__ import main
from app.evaluation.gold import GoldArticle, GoldClaim, GoldEntity, GoldFigure, load_article
from app.evaluation.prediction import FoundClaim, FoundEntity, FoundFigure, Prediction
from app.evaluation.run import predict
from app.evaluation.score import score_article, total

TEXT = (
    "Prices rose 2 percent in May, the bureau said. They fell from 5 to 3 percent in June. "
    "Is this good? The minister said the economy grew."
)
S1 = "Prices rose 2 percent in May, the bureau said."
S2 = "They fell from 5 to 3 percent in June."
S3 = "The minister said the economy grew."


def _at(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


def _gold(**changes: object) -> GoldArticle:
    base = {
        "id": "a",
        "filename": "a.txt",
        "data": TEXT.encode(),
        "claims": (
            GoldClaim(
                S1,
                "statistic",
                "the bureau",
                ("the statistics bureau",),
                "Bureau",
                (GoldFigure("2 percent", 2, 2, 2, "percent"),),
            ),
            GoldClaim(
                S2,
                "statistic",
                None,
                figures=(GoldFigure("from 5 to 3 percent", 3, 3, 3, "percent", previous=5),),
            ),  # fmt: skip
            GoldClaim(S3, "attributed", "The minister"),
        ),
        "entities": (GoldEntity("May", "DATE"), GoldEntity("June", "DATE")),
        "published": "2024-06-01",
    }
    base.update(changes)
    return GoldArticle(**base)  # type: ignore[arg-type]


def _claim(quote: str, kind: str = "statistic", source: str | None = None, **kw: object):
    start, end = _at(quote)
    return FoundClaim(start, end, kind, source, **kw)  # type: ignore[arg-type]


def test_a_perfect_prediction_scores_one_everywhere() -> None:
    s2, _ = _at(S2)
    found = Prediction(
        TEXT,
        (
            _claim(S1, source="The Bureau", attribution_entity="Bureau", figures=(
                FoundFigure(TEXT.index("2 percent"), TEXT.index("2 percent") + 9, 2, 2, 2,
                            "percent"),)),
            _claim(S2, figures=(FoundFigure(s2 + 10, s2 + 29, 3, 3, 3, "percent", None, 5),)),
            _claim(S3, "attributed", "the minister"),
        ),
        (FoundEntity("May", "DATE"), FoundEntity("June", "TIME")),
        "2024-06-01",
    )  # fmt: skip
    s = score_article(_gold(), found)
    assert (s.claims.precision, s.claims.recall, s.claims.f1) == (1, 1, 1)
    assert s.attribution.value == 1 and s.sources.value == 1 and s.links.value == 1
    assert s.figures.f1 == 1 and s.labels.value == 1 and s.published.value == 1
    assert s.errors == []


def test_a_fragment_or_a_swallowing_unit_does_not_match() -> None:
    fragment = _claim("the bureau said.")
    start, _ = _at(S1)
    _, end = _at(S3)
    swallowing = FoundClaim(start, end, "statistic", None)
    s = score_article(_gold(), Prediction(TEXT, (fragment,), (), None))
    assert s.claims.found_matched == 0 and s.claims.recall == 0
    s = score_article(_gold(), Prediction(TEXT, (swallowing,), (), None))
    assert s.claims.precision == 0
    assert any(e.startswith("false statistic (unmarked)") for e in s.errors)


def test_two_sentences_in_one_unit_match_one_gold_claim() -> None:
    start, _ = _at(S1)
    _, end = _at(S2)
    s = score_article(_gold(), Prediction(TEXT, (FoundClaim(start, end, "statistic", None),), (),
                                          None))  # fmt: skip
    assert s.claims.found_matched == 1 and s.claims.gold_matched == 1


def test_attribution_is_right_for_the_source_its_alternatives_or_an_agreed_null() -> None:
    found = Prediction(
        TEXT,
        (
            _claim(S1, source="the statistics bureau"),
            _claim(S2, source="June"),  # the gold says the article's own voice
            _claim(S3, "attributed", None),
        ),
        (),
        None,
    )
    s = score_article(_gold(), found)
    assert (s.attribution.right, s.attribution.total) == (1, 3)
    assert (s.sources.right, s.sources.total) == (1, 2)
    assert s.kinds["attributed"].recall == 1 and s.kind_accuracy.value == 1


def test_a_figure_needs_its_numbers_the_earlier_value_and_its_unit() -> None:
    s2, _ = _at(S2)
    two = TEXT.index("2 percent")
    found = Prediction(
        TEXT,
        (
            _claim(S1, figures=(FoundFigure(two, two + 9, 2, 2, 2, "percentage point"),)),
            _claim(S2, figures=(FoundFigure(s2 + 20, s2 + 29, 3, 3, 3, "percent"),)),
        ),
        (),
        None,
    )
    s = score_article(_gold(), found)
    assert (s.figures.found, s.figures.gold, s.figures.gold_matched) == (2, 2, 0)


def test_entity_labels_are_scored_over_the_gold_texts_found() -> None:
    gold = _gold(entities=(GoldEntity("the Bureau", "ORG"), GoldEntity("May", "DATE"),
                           GoldEntity("June", "DATE")))  # fmt: skip
    found = Prediction(TEXT, (), (FoundEntity("Bureau", "PERSON"), FoundEntity("May", "DATE"),
                                  FoundEntity("minister", "PERSON")), None)  # fmt: skip
    s = score_article(gold, found)
    assert (s.labels.right, s.labels.total) == (1, 2)
    assert s.entities.precision == pytest.approx(2 / 3) and s.entities.recall == pytest.approx(
        2 / 3
    )


def test_totals_add_counts_not_averages() -> None:
    a = score_article(_gold(), Prediction(TEXT, (_claim(S1),), (), None))
    b = score_article(_gold(), Prediction(TEXT, (_claim(S1), _claim(S2), _claim(S3)), (), None))
    t = total([a, b])
    assert (t.claims.found, t.claims.gold, t.claims.gold_matched) == (4, 6, 4)
    assert t.published.value == 0


def test_gold_text_is_found_when_ingest_changed_its_spacing(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(
        "Title line  \r\n\r\nThe index rose 3 percent, the bureau said.\n"
    )
    annotation = {
        "id": "x", "source_url": "https://example.org/x", "outlet": "O", "topic": "economy",
        "shape": "news", "published": None, "published_source": None, "title": "Title line",
        "claims": [{"quote": "The index rose 3 percent, the bureau said.", "kind": "statistic",
                    "attribution": "the bureau", "attribution_alternatives": [],
                    "attribution_entity": None,
                    "figures": [{"text": "3 percent", "value": 3, "low": 3, "high": 3,
                                 "unit": "percent", "period": None}]}],
        "not_claims": [], "entities": [], "notes": "n",
    }  # fmt: skip
    (tmp_path / "x.json").write_text(json.dumps(annotation))
    article = load_article(tmp_path / "x.json")
    s = score_article(article, predict(article.filename, article.data))
    assert s.claims.recall == 1 and s.figures.recall == 1 and s.attribution.value == 1


def test_make_eval_prints_the_table_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = Path(__file__).resolve().parents[1] / "golden" / "realnews"
    out = tmp_path / "scores.json"
    assert main([str(gold), "--article", "economy-xinhua-cpi-2018", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "economy-xinhua-cpi-2018" in printed and "claims" in printed
    data = json.loads(out.read_text())
    assert [a["id"] for a in data["articles"]] == ["economy-xinhua-cpi-2018"]
    assert data["totals"]["all"]["claims"]["gold"] == 6


def test_a_date_only_the_page_markup_gave_may_be_left_empty_in_plain_text() -> None:
    from_markup = _gold(published_source="page metadata")
    assert score_article(from_markup, Prediction(TEXT, (), (), None)).published.value == 1
    assert score_article(from_markup, Prediction(TEXT, (), (), "2024-05-01")).published.value == 0
    in_text = _gold(published_source="dateline")
    assert score_article(in_text, Prediction(TEXT, (), (), None)).published.value == 0
