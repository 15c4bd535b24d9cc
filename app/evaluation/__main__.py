"""`python -m app.evaluation [GOLD_DIR]`: score the extractor on a gold set (`make eval`).

Prints the totals (all articles, development, held-out) and one row per article;
`--json FILE` also writes every score; `--errors` lists the mistakes of the development
articles (or of the articles named with `--article`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.evaluation.gold import load_dir
from app.evaluation.run import evaluate, split
from app.evaluation.score import total
from app.evaluation.table import as_json, render

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "tests" / "golden" / "realnews"


def held_out_ids(folder: Path) -> list[str]:
    """The articles kept out of development (`held_out.ids`, one id a line)."""
    listing = folder / "held_out.ids"
    if not listing.exists():
        return []
    lines = listing.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.evaluation", description=__doc__)
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    parser.add_argument("--errors", action="store_true", help="list each mistake")
    parser.add_argument("--article", action="append", default=[], help="only these ids")
    args = parser.parse_args(argv)

    articles = load_dir(args.gold)
    if args.article:
        articles = [a for a in articles if a.id in args.article]
    scores = evaluate(articles)
    development, held_out = split(scores, held_out_ids(args.gold))
    totals = [("all", total(scores)), ("development", total(development))]
    if held_out:
        totals.append(("held-out", total(held_out)))
    for (_, s), group in zip(totals, (scores, development, held_out), strict=False):
        s.meta["articles"] = str(len(group))
    print(render(totals, scores))
    if args.errors:
        for s in scores if args.article else development:
            print(f"\n== {s.id}")
            print("\n".join(s.errors))
    if args.json:
        payload = {
            "totals": {name: as_json(s) for name, s in totals},
            "articles": [as_json(s) for s in scores],
        }
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
