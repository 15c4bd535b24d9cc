"""Extraction on a Dask cluster (`readingroom ingest --dask tcp://scheduler:8786 PATH…`).

Only the pure step is sent: each batch's drafts go to the cluster's workers, which run
`extract` (the spaCy model is loaded once per worker process) and send back what they
found; reading the files and storing the results happen here, through the services, so the
database needs no address the workers can reach. The workers need this package and its
model installed, as the machine that submits does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.extract.pipeline import extract
from app.ingest import ArticleDraft
from app.jobs.work import ExtractBatch, Pending


@contextmanager
def dask_extraction(address: str) -> Iterator[ExtractBatch]:
    """A batch extractor on the Dask scheduler at `address`, for as long as the block
    runs: a batch is sent at once, its results gathered (in the drafts' order) when
    asked for."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:

        def extract_batch(drafts: list[ArticleDraft]) -> Pending:
            futures = client.map(extract, drafts, pure=False)
            return lambda: client.gather(futures)

        yield extract_batch
