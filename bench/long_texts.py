"""Long single inputs: re-anchoring a note in a 50,000-character article (reworded, and with
its words gone) and finding the figures of a 200,000-character text. These were wall-clock
assertions in the unit tests; they are measured here, against the same limits."""

from __future__ import annotations

from app.anchoring import make_selector, reanchor
from app.config import PROJECT_ROOT
from app.extract.figures import parse_figures
from bench.stats import Figure, check, median, ms, stopwatch

REANCHOR_LIMIT_S = 0.25
FIGURES_LIMIT_S = 10.0


def long_texts(runs: int) -> list[Figure]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "seeds").iterdir())]
    article = ("\n".join(seeds) * 3)[:50_000]
    start = article.index("According to British estimates")
    sel = make_selector(article, start, article.index("in May.", start) + 7)
    reworded = article.replace("killed or wounded each day", "wounded or killed every day")
    gone = article.replace(sel.exact, "")
    per_call = []
    for _ in range(runs):
        with stopwatch() as elapsed:
            assert reanchor(sel, reworded).status == "fuzzy"
            assert reanchor(sel, gone).status == "orphan"
        per_call.append(elapsed() / 2)

    text = ("The army recruits 20,000 soldiers a month, Dalhaug said. " * 4000)[:200_000]
    parsing = []
    for _ in range(runs):
        with stopwatch() as elapsed:
            assert parse_figures(text)
        parsing.append(elapsed())

    reanchor_s, figures_s = median(per_call), median(parsing)
    return [
        Figure(
            "re-anchor a note in a 50,000-character article",
            ms(reanchor_s),
            "ms",
            target=f"≤ {ms(REANCHOR_LIMIT_S):.0f} ms",
            ok=check(reanchor_s, REANCHOR_LIMIT_S),
            runs=runs,
        ),
        Figure(
            "figures of a 200,000-character text",
            round(figures_s, 2),
            "s",
            target=f"≤ {FIGURES_LIMIT_S:.0f} s",
            ok=check(figures_s, FIGURES_LIMIT_S),
            runs=runs,
        ),
    ]
