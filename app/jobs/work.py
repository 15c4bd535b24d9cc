"""What an ingest does before anything is stored: read files and extract, no database.

Each kind of job has a generator here that yields an `Item` per article it read (or could
not read) and reports its progress as it goes. The runner runs it in a worker process and
stores each item through the services; the seeds and the tests run the same generator in
their own process (`services.ingest.ingest_paths`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.extract.pipeline import Extraction, extract
from app.fetch import Fetched, FetchError, fetch
from app.ingest import FORMATS, ArticleDraft, IngestError, draft_from_text, read_document
from app.ingest import read_fetched as read_fetched_page

SUFFIXES = tuple(FORMATS)
# How far along a one-article job is when each step begins (the entity model is most of it).
STEPS = {"fetching": 0.01, "reading": 0.02, "entities": 0.1, "claims": 0.75}
STAGE_NAMES = {
    "fetching": "fetching the page",
    "reading": "reading the file",
    "entities": "finding entities",
    "claims": "finding claims and figures",
}
# Files read, extracted and stored at a time by an import: up to BATCH articles or
# BATCH_CHARS characters of text, whichever comes first, so the drafts held stay bounded
# (two batches: one stored while the next is extracted). The articles of a batch share
# the analysis's reads of their candidates (`services.analysis.Seen`); a larger batch
# would share more (40% less analysis at 64 than at 16 on the bench corpus), but a later
# article can improve an entity's name before an earlier one is analysed: at 64 the bulk
# import test found the result no longer the same as adding the articles one by one.
BATCH = 16
BATCH_CHARS = 4 * 2**20


def batch_full(items: Sequence[Item]) -> bool:
    return len(items) >= BATCH or _chars(i.draft for i in items) >= BATCH_CHARS


def _chars(drafts: Iterable[ArticleDraft | None]) -> int:
    return sum(len(d.text) for d in drafts if d is not None)


Report = Callable[[str, float], None]  # (what is happening, fraction of the work done)
Params = Mapping[str, Any]


@dataclass(frozen=True)
class Item:
    """One article's worth of work: what extraction found, or why there is nothing."""

    name: str  # how to name it in a report: the file's path or name, "pasted text"
    source_file: str | None  # what the article is keyed by; None for pasted text
    draft: ArticleDraft | None = None
    found: Extraction | None = None
    error: str | None = None  # it could not become an article
    unchanged: bool = False  # its bytes are stored under its name already
    fetched: Fetched | None = None  # the page or PDF as fetched, kept with the article


@dataclass(frozen=True)
class Source:
    """A file to ingest: where it is and the name its article is stored under."""

    path: Path
    name: str


def collect_sources(paths: Iterable[Path]) -> tuple[list[Source], list[Item]]:
    """Folders expanded to their article files; a path that does not exist is a failed
    item."""
    sources: list[Source] = []
    missing: list[Item] = []
    for path in paths:
        if path.is_dir():
            sources.extend(
                Source(p, p.name)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            sources.append(Source(path, path.name))
        else:
            missing.append(Item(str(path), None, error="no such file or folder"))
    return sources, missing


def upload(
    payload: Mapping[str, Any], context: Mapping[str, Any], report: Report
) -> Iterator[Item]:
    """An uploaded file kept in the uploads folder (`file`), named `name` by its sender."""
    name = payload["name"]
    report(STAGE_NAMES["reading"], STEPS["reading"])
    draft = read_document(name, Path(payload["file"]).read_bytes())
    yield Item(name, name, draft, _extract(draft, report))


def paste(payload: Params, context: Params, report: Report) -> Iterator[Item]:
    """Pasted text kept in a file until it is stored, with the metadata sent with it."""
    report(STAGE_NAMES["reading"], STEPS["reading"])
    text = Path(payload["file"]).read_text(encoding="utf-8")
    meta = {k: payload.get(k) for k in ("title", "publisher", "author")}
    draft = draft_from_text(text, **meta)
    yield Item("pasted text", None, draft, _extract(draft, report))


def fetched(payload: Params, context: Params, report: Report) -> Iterator[Item]:
    """A page or PDF at `url`: fetched (private addresses only if `allow_private`), read,
    and known by its canonical address when the page names one on its own site; dated
    `published` (a feed's date for it) when the page states no date of its own."""
    url = payload["url"]
    report(STAGE_NAMES["fetching"], STEPS["fetching"])
    try:
        got = fetch(url, allow_private=bool(payload.get("allow_private")))
    except FetchError as exc:
        raise IngestError(str(exc)) from None
    report(STAGE_NAMES["reading"], STEPS["reading"])
    draft = read_fetched_page(got.kind, got.data, got.url, got.charset)
    if draft.published is None and payload.get("published"):
        draft = replace(draft, published=payload["published"])
    key = same_site(draft.canonical_url, got.url) or got.url
    yield Item(url, key, draft, _extract(draft, report), fetched=got)


def same_site(canonical: str | None, url: str) -> str | None:
    """The canonical address if it is on the site the page came from: a page cannot claim
    another site's address (and so replace the article stored under it)."""
    if not canonical:
        return None
    host, own = urlsplit(canonical).hostname or "", urlsplit(url).hostname or ""
    return canonical if host.removeprefix("www.") == own.removeprefix("www.") else None


def _extract(draft: ArticleDraft, report: Report) -> Extraction:
    def stage(step: str) -> None:
        report(STAGE_NAMES[step], STEPS[step])

    return extract(draft, on_stage=stage)


# A batch's extraction, started: called, it gives the results in the drafts' order.
Pending = Callable[[], Iterable[Extraction]]
# Starts a batch's extraction where it runs (worker processes, a cluster) and returns at once.
ExtractBatch = Callable[[list[ArticleDraft]], Pending]


@contextmanager
def extraction(jobs: int) -> Iterator[ExtractBatch]:
    """Extraction in this process (`jobs` 1) or in `jobs` worker processes kept for the
    whole import: each loads the model once, not once per batch (that cost more than the
    batch's extraction)."""
    if jobs <= 1:

        def here(drafts: list[ArticleDraft]) -> Pending:
            return lambda: map(extract, drafts)

        yield here
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:

        def in_pool(drafts: list[ArticleDraft]) -> Pending:
            futures = [pool.submit(extract, d) for d in drafts]
            return lambda: (f.result() for f in futures)

        yield in_pool


@dataclass
class _Batch:
    skipped: list[Item]  # unchanged or unreadable, in the order read
    read: list[tuple[Source, ArticleDraft]]
    found: Pending | None = None
    count: int = 0  # the files it took, read or skipped


def files(
    payload: Params, context: Params, report: Report, extract_batch: ExtractBatch | None = None
) -> Iterator[Item]:
    """Files and folders (`paths`), read and extracted a batch at a time, in `jobs`
    processes or by `extract_batch` (a cluster's workers); a file whose bytes are stored
    under its name already (`context["stored"]`: name → content hash) is skipped, so an
    interrupted import resumes where it stopped. The next batch is read and its
    extraction started before this one's items are handed on, so extraction runs while
    the caller stores; at most two batches of drafts are held."""
    sources, missing = collect_sources(Path(p) for p in payload["paths"])
    yield from missing
    stored: Mapping[str, str] = context.get("stored", {})
    total = len(sources) or 1
    with ExitStack() as stack:
        if extract_batch is None:
            extract_batch = stack.enter_context(extraction(payload.get("jobs", 1)))
        ahead: tuple[int, _Batch] | None = None
        start = 0
        while ahead is not None or start < len(sources):
            batch = _read(sources, start, stored) if start < len(sources) else None
            if batch is not None and batch.read:
                batch.found = extract_batch([d for _, d in batch.read])
            if ahead is not None:
                done, handed = ahead
                report(f"{done:,} of {len(sources):,} files", done / total)
                yield from handed.skipped
                if handed.found is not None:
                    for (source, draft), found in zip(handed.read, handed.found(), strict=True):
                        yield Item(str(source.path), source.name, draft, found)
            ahead = None if batch is None else (start, batch)
            start += 0 if batch is None else batch.count
    report(f"{len(sources):,} of {len(sources):,} files", 1.0)


def _read(sources: Sequence[Source], start: int, stored: Mapping[str, str]) -> _Batch:
    """The next batch from `start`: BATCH files, or fewer holding BATCH_CHARS of text."""
    batch = _Batch([], [])
    for source in sources[start : start + BATCH]:
        batch.count += 1
        try:
            data = source.path.read_bytes()
            if stored.get(source.name) == sha256(data).hexdigest():
                batch.skipped.append(Item(str(source.path), source.name, unchanged=True))
                continue
            batch.read.append((source, read_document(source.name, data)))
        except (IngestError, OSError) as exc:
            batch.skipped.append(Item(str(source.path), source.name, error=_reason(exc)))
        if _chars(d for _, d in batch.read) >= BATCH_CHARS:
            break
    return batch


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


WORK: dict[str, Callable[[Params, Params, Report], Iterator[Item]]] = {
    "upload": upload,
    "paste": paste,
    "import": files,
    "url": fetched,
}
