"""Extraction on a Dask cluster (`readingroom ingest --dask tcp://scheduler:8786 PATH…`).

Only the pure step is sent: each batch's drafts go to the cluster's workers, which run
`extract` (the spaCy model is loaded once per worker process) and send back what they
found; reading the files and storing the results happen here, through the services, so the
database needs no address the workers can reach. The workers need this package and its
model installed, as the machine that submits does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.extract.pipeline import Extraction, extract
from app.ingest import ArticleDraft
from app.jobs.work import ExtractBatch


@contextmanager
def dask_extraction(address: str) -> Iterator[ExtractBatch]:
    """A batch extractor on the Dask scheduler at `address`, for as long as the block
    runs; results come back in the drafts' order."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:

        def extract_batch(drafts: list[ArticleDraft]) -> list[Extraction]:
            futures = client.map(extract, drafts, pure=False)
            return list(client.gather(futures))

        yield extract_batch
