"""A few requests at work at once in a server process; the others wait their turn, in the
order they came (docs/decisions/0035-requests-at-work.md).

A process runs one Python thread at a time: fifty requests in fifty threads each take fifty
times their own work to finish, and a write holding SQLite's lock holds it that long. Worse,
FastAPI turns an endpoint's result into JSON in the thread pool before the write session's
transaction ends; a writer holding the lock then queued for a thread behind every reader, and
when the pool's threads were all taken by writers waiting for that lock, nothing moved until
SQLite's busy timeout refused them. Admitted a few at a time, a request shares the process
with few others, and a thread is always free for one that is at work.

A request is admitted once its body has arrived (a slow upload waits for its bytes without
taking a place) and gives its place up when its response starts (a long download, or an
export written while it is sent, streams without holding one).
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Requests at work at once in one process: enough to overlap the waits on the database,
# few enough that each runs with little competition for the interpreter. Measured with 50
# readers and 5 writers on two cores: 8 answered as many requests a second as 40 (the thread
# pool's size) and brought the writes' p99 from 5.7 s to 0.8 s. The SQLite pool keeps as many
# connections (app/db.py).
AT_ONCE = 8


class Admission:
    def __init__(self, app: ASGIApp, *, at_once: int = AT_ONCE) -> None:
        self.app = app
        self.at_once = at_once
        self._loop: asyncio.AbstractEventLoop | None = None
        self._places: asyncio.Semaphore | None = None

    def _places_here(self) -> asyncio.Semaphore:
        # A semaphore belongs to the event loop it first waited in: each loop (a test
        # client's, say) gets its own.
        loop = asyncio.get_running_loop()
        if self._places is None or loop is not self._loop:
            self._loop, self._places = loop, asyncio.Semaphore(self.at_once)
        return self._places

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        places = self._places_here()
        state = "waiting"  # then "at work", then "done"

        async def admit() -> None:
            nonlocal state
            if state == "waiting":
                await places.acquire()
                state = "at work"

        def leave() -> None:
            nonlocal state
            if state == "at work":
                places.release()
            state = "done"

        async def receive_then_admit() -> Message:
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                await admit()
            return message

        async def send_then_leave(message: Message) -> None:
            if message["type"] == "http.response.start":
                leave()
            await send(message)

        try:
            if _has_body(scope):
                await self.app(scope, receive_then_admit, send_then_leave)
            else:
                await admit()
                await self.app(scope, receive, send_then_leave)
        finally:
            leave()


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return value.strip() not in (b"", b"0")
        if name == b"transfer-encoding":
            return True
    return False
