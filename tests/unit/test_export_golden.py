"""Golden files of the exports of the fixed sample set (tests/golden/export/). After an
intended change of format, rewrite them with READINGROOM_UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.export import claimreview, webannotation
from app.export.jsonbytes import json_bytes
from app.export.markdown import to_markdown
from tests.factories import sample_export

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "export"
UPDATE = os.environ.get("READINGROOM_UPDATE_GOLDEN") == "1"


def _json(doc: object) -> str:
    """The bytes the API and the command line write."""
    return json_bytes(doc).decode() + "\n"


EXPORTS: dict[str, Callable[[], str]] = {
    "sample.md": lambda: to_markdown(sample_export()),
    "sample_by_article.md": lambda: to_markdown(sample_export(), group="article"),
    "sample.jsonld": lambda: _json(
        webannotation.to_document(sample_export(), "urn:readingroom:export:sample")
    ),
    "sample.claimreview.jsonld": lambda: _json(
        claimreview.to_claimreviews(
            sample_export(), publication_url="https://factchecks.example.org"
        )
    ),
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_export_matches_its_golden_file(name: str) -> None:
    produced = EXPORTS[name]()
    path = GOLDEN / name
    if UPDATE:
        path.write_text(produced, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert produced == expected, f"{name} changed; READINGROOM_UPDATE_GOLDEN=1 rewrites it"
