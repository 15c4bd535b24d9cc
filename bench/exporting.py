"""Where an export's time goes, measured in-process on the same database as the HTTP
benchmark: gathering the records (queries and ORM rows), then rendering each format; and
the Markdown and Web Annotation documents gathered and written in parts, as the server
sends them."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.db import create_db_engine
from app.export.jsonbytes import json_bytes
from bench.corpus import SET_TAG
from bench.stats import median


def stages(db: Path, rounds: int) -> dict[str, float] | None:
    """Median seconds of gather, Markdown and JSON-LD rendering; None without exports."""
    try:
        from app.export import webannotation
        from app.export.markdown import to_markdown
        from app.services import exports
    except ImportError:
        return None
    engine = create_db_engine(f"sqlite:///{db}")
    times: dict[str, list[float]] = {
        "gather": [], "markdown": [], "jsonld": [], "json dump": [], "markdown in parts": [],
        "jsonld in pages": [],
    }  # fmt: skip

    def timed(name: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = call(*args, **kwargs)
        times[name].append(time.perf_counter() - start)
        return result

    found: Any = None
    try:
        for _ in range(rounds):
            with Session(engine) as session:
                chosen = exports.ExportFilter(tag=SET_TAG)
                found = timed("gather", exports.gather, session, chosen, exported_by="bench")
            timed("markdown", to_markdown, found)
            doc = timed("jsonld", webannotation.to_document, found, "http://127.0.0.1/x")
            timed("json dump", json_bytes, doc)
            # Gathered and written a part at a time, as the route sends it.
            timed("markdown in parts", _in_parts, exports, engine, chosen)
            timed("jsonld in pages", _in_pages, engine, chosen)
    finally:
        engine.dispose()
    return {name: round(median(t), 3) for name, t in times.items()} | {
        "notes": len(found.notes),
        "claims": len(found.claims),
    }


def _in_parts(exports: Any, engine: Any, chosen: Any) -> int:
    """The Markdown document gathered and written a part at a time; its length."""
    return sum(len(piece) for piece in exports.markdown(engine, chosen, exported_by="bench"))


def _in_pages(engine: Any, chosen: Any) -> int:
    """The Web Annotation document read and written a page at a time; its length."""
    from app.services.webannotation_pages import streamed

    pieces = streamed(engine, chosen, exported_by="bench", collection_id="http://127.0.0.1/x")
    return sum(len(piece) for piece in pieces)
