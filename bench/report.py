"""bench/results.json (read-modify-write: other keys, such as the load test's, are kept)
and the Markdown table for the README."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from bench.stats import Figure

RESULTS = Path(__file__).resolve().parent / "results.json"


def save(
    key: str,
    meta: dict[str, Any],
    figures: list[Figure],
    path: Path = RESULTS,
    *,
    sections: list[str] | None = None,
) -> None:
    """The run's figures under `key`. A run of some `sections` only (`--only`) replaces the
    figures it measured and keeps the others, noting in the kept meta when it ran."""
    data: dict[str, Any] = {}
    if path.exists():
        data = json.loads(path.read_text() or "{}")
    entry = {"meta": meta, "figures": [f.as_json() for f in figures]}
    if sections is not None and key in data:
        entry = _merged(data[key], entry, sections)
    data[key] = entry
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    partial.replace(path)


def _merged(old: dict[str, Any], new: dict[str, Any], sections: list[str]) -> dict[str, Any]:
    fresh = {f["name"]: f for f in new["figures"]}
    figures = [fresh.pop(f["name"], f) for f in old["figures"]] + list(fresh.values())
    rerun = {"date": new["meta"]["date"], "sections": sections, "seconds": new["meta"]["seconds"]}
    meta = old["meta"] | {"rerun": [*old["meta"].get("rerun", []), rerun]}
    return {"meta": meta, "figures": figures}


def _value(f: Figure) -> str:
    if f.value is None:
        return f"— ({f.note})" if f.note else "—"
    number = f"{f.value:,.0f}" if abs(f.value) >= 100 else f"{f.value:g}"
    unit = f.unit if f.unit in ("×", "%") else f" {f.unit}"
    return f"{number}{unit}" + (f" ({f.note})" if f.note else "")


def table(figures: list[Figure]) -> str:
    lines = ["| Benchmark | Measured | Runs | Target | Met |", "|---|---|---|---|---|"]
    for f in figures:
        met = {True: "yes", False: "**no**", None: ""}[f.ok]
        runs = f"median of {f.runs}" if f.runs > 1 else ("1" if f.runs else "")
        lines.append(f"| {f.name} | {_value(f)} | {runs} | {f.target} | {met} |")
    return "\n".join(lines)
