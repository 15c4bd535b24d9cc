"""An import's files are read, extracted and handed on a batch at a time, the next batch
read and its extraction started before this one is handed on: every file comes out once,
batch after batch in the files' order (a batch's unchanged and unreadable files before
those it extracted), and a batch holds at most BATCH files or about BATCH_CHARS
characters of text."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path

import pytest

from app.ingest import ArticleDraft
from app.jobs import work
from app.jobs.work import Pending


def _recording(started: list[list[str]]) -> work.ExtractBatch:
    """Extraction in this process that notes each batch it is given."""
    with work.extraction(1) as here:

        def extract_batch(drafts: list[ArticleDraft]) -> Pending:
            started.append([d.title for d in drafts])
            return here(drafts)

    return extract_batch


def test_every_file_comes_out_once_batch_after_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work, "BATCH", 3)
    names = [f"{i:02d}.txt" for i in range(8)]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(f"Story {i}\n\nThe council met on Monday in Oslo.\n")
    (tmp_path / "04.txt").write_bytes(b"\xff\xfe not text")  # unreadable
    stored = {"02.txt": sha256((tmp_path / "02.txt").read_bytes()).hexdigest()}
    progress: list[str] = []
    started: list[list[str]] = []
    items = list(
        work.files({"paths": [str(tmp_path)]}, {"stored": stored},
                   lambda what, _: progress.append(what), _recording(started))
    )  # fmt: skip
    order = ["02", "00", "01", "04", "03", "05", "06", "07"]
    assert [i.source_file for i in items] == [f"{n}.txt" for n in order]
    assert [i.source_file for i in items if i.unchanged] == ["02.txt"]
    assert [i.source_file for i in items if i.error] == ["04.txt"]
    assert all(i.found is not None for i in items if not (i.unchanged or i.error))
    # Batches of three files; only what was read is extracted.
    assert started == [["Story 0", "Story 1"], ["Story 3", "Story 5"], ["Story 6", "Story 7"]]
    assert progress == ["0 of 8 files", "3 of 8 files", "6 of 8 files", "8 of 8 files"]


def test_a_batch_stops_at_its_share_of_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(work, "BATCH_CHARS", 2_000)
    for i in range(5):
        words = " ".join(["The ministry said the talks would resume."] * 20)  # ~860 chars
        (tmp_path / f"{i}.txt").write_text(f"Long story {i}\n\n{words}\n")
    started: list[list[str]] = []
    items = list(work.files({"paths": [str(tmp_path)]}, {}, lambda *_: None, _recording(started)))
    assert len(items) == 5
    assert [len(batch) for batch in started] == [3, 2]
    assert work.batch_full(items[:3]) and not work.batch_full(items[:2])
