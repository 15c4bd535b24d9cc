"""bench/results.json: a full `make bench` replaces its figures; a run of some sections
(`--only`) replaces the figures it measured and keeps the rest, saying when it ran."""

from __future__ import annotations

import json
from pathlib import Path

from bench import report
from bench.stats import Figure


def _meta(date: str) -> dict[str, object]:
    return {"date": date, "seconds": {"pages": 1.0}}


def test_a_full_run_replaces_and_a_partial_run_keeps_what_it_did_not_measure(
    tmp_path: Path,
) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"load": {"kept": True}}))
    full = [Figure("page", 4.0, "×"), Figure("search", 6.0, "ms"), Figure("old", 1.0, "s")]
    report.save("benchmarks", _meta("day 1"), full, path)
    report.save("benchmarks", _meta("day 2"), [Figure("page", 4.0, "×")], path)
    assert [f["name"] for f in json.loads(path.read_text())["benchmarks"]["figures"]] == ["page"]

    report.save("benchmarks", _meta("day 1"), full, path)
    again = [Figure("page", 2.5, "×"), Figure("new", 3.0, "s")]
    report.save("benchmarks", _meta("day 3"), again, path, sections=["pages"])
    data = json.loads(path.read_text())
    got = {f["name"]: f["value"] for f in data["benchmarks"]["figures"]}
    assert got == {"page": 2.5, "search": 6.0, "old": 1.0, "new": 3.0}
    assert [f["name"] for f in data["benchmarks"]["figures"]] == ["page", "search", "old", "new"]
    meta = data["benchmarks"]["meta"]
    assert meta["date"] == "day 1"
    assert meta["rerun"] == [{"date": "day 3", "sections": ["pages"], "seconds": {"pages": 1.0}}]
    assert data["load"] == {"kept": True}
