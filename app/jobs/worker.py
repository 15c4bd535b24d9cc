"""The worker process of a job: runs the kind's work (reading and extraction, no database)
and sends the runner its progress and items through a pipe.

The entity model holds the interpreter while it reads; in a process of its own it cannot
stall the server's requests, its memory goes back to the system when the job ends, and a
cancelled job is stopped by ending the process."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import traceback
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from app.ingest import IngestError
from app.jobs.work import WORK

PR_SET_PDEATHSIG = 1


def run(kind: str, payload: Mapping[str, Any], context: Mapping[str, Any], out: Connection) -> None:
    """Messages sent: ("progress", stage, fraction), ("item", Item), then ("done",) or
    ("error", message)."""
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:  # the parent ended before the line above
        return

    def report(stage: str, fraction: float) -> None:
        out.send(("progress", stage, fraction))

    try:
        for item in WORK[kind](payload, context, report):
            out.send(("item", item))
        out.send(("done",))
    except IngestError as exc:
        out.send(("error", str(exc)))
    except Exception as exc:
        logging.getLogger(__name__).error("job failed: %s", traceback.format_exc())
        out.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        out.close()


def _die_with_parent() -> None:
    """Linux ends this process when the thread that started it ends (a killed server), so
    no orphaned worker goes on reading a document nobody will store."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
