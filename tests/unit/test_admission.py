"""Requests at work at once (app/admission.py), driven as a server drives the app: many
requests at the same time, bodies that arrive slowly, responses that stream."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from starlette.types import Message, Receive, Scope, Send

from app.admission import Admission

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own: a browser test before this one on the same
    test worker leaves Playwright's event loop running in the main thread."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, main).result()


def http(path: str, body: bytes = b"") -> Scope:
    headers = [(b"content-length", str(len(body)).encode())] if body else []
    return {"type": "http", "method": "POST" if body else "GET", "path": path, "headers": headers}


class App:
    """Answers each request after `work` (an awaitable it is given), counting how many it is
    working on at once; reads the body first when there is one."""

    def __init__(self) -> None:
        self.at_work = 0
        self.most = 0
        self.work: dict[str, Callable[[], Awaitable[None]]] = {}
        self.stream: dict[str, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["headers"]:
            while (await receive()).get("more_body"):
                pass
        self.at_work += 1
        self.most = max(self.most, self.at_work)
        try:
            await self.work.get(scope["path"], _nothing)()
        finally:
            self.at_work -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        end = self.stream.get(scope["path"])
        if end is not None:
            await send({"type": "http.response.body", "body": b"first", "more_body": True})
            await end.wait()
        await send({"type": "http.response.body", "body": b"done"})


async def _nothing() -> None:
    pass


async def request(app: Admission, scope: Scope, body: list[bytes] | None = None) -> bytes:
    """The response's body; `body` is sent in parts, each after the app asks for it."""
    parts = list(body or [b""])
    sent: list[Message] = []

    async def receive() -> Message:
        part = parts.pop(0)
        return {"type": "http.request", "body": part, "more_body": bool(parts)}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 200
    return b"".join(m.get("body", b"") for m in sent[1:])


def test_a_few_requests_are_at_work_at_once_and_every_one_is_answered() -> None:
    inner = App()

    async def busy() -> None:
        await asyncio.sleep(0.01)

    inner.work["/page"] = busy
    app = Admission(inner, at_once=3)

    async def main() -> list[bytes]:
        return await asyncio.gather(*(request(app, http("/page")) for _ in range(40)))

    assert run(main()) == [b"done"] * 40
    assert inner.most == 3


def test_a_body_still_arriving_holds_no_place() -> None:
    inner = App()
    app = Admission(inner, at_once=1)

    async def main() -> None:
        more = asyncio.Event()
        parts = [b"a", b"b"]

        async def slow_receive() -> Message:
            if len(parts) == 1:
                await more.wait()  # the upload's last bytes have not come yet
            part = parts.pop(0)
            return {"type": "http.request", "body": part, "more_body": bool(parts)}

        async def ignore(message: Message) -> None:
            pass

        upload = asyncio.create_task(app(http("/upload", b"ab"), slow_receive, ignore))
        await asyncio.sleep(0.01)
        assert await asyncio.wait_for(request(app, http("/page")), 5) == b"done"
        more.set()
        await asyncio.wait_for(upload, 5)

    run(main())


def test_a_streaming_response_gives_its_place_up_when_it_starts() -> None:
    inner = App()
    end = inner.stream["/export"] = asyncio.Event()
    app = Admission(inner, at_once=1)

    async def main() -> None:
        export = asyncio.create_task(request(app, http("/export")))
        await asyncio.sleep(0.01)
        assert not export.done()  # still streaming
        assert await asyncio.wait_for(request(app, http("/page")), 5) == b"done"
        end.set()
        assert await asyncio.wait_for(export, 5) == b"firstdone"

    run(main())


def test_a_request_that_fails_gives_its_place_up() -> None:
    inner = App()

    async def fail() -> None:
        raise RuntimeError("a bug")

    inner.work["/bug"] = fail
    app = Admission(inner, at_once=1)

    async def main() -> None:
        for _ in range(3):
            with pytest.raises(RuntimeError):
                await asyncio.wait_for(request(app, http("/bug")), 5)
        assert await asyncio.wait_for(request(app, http("/page")), 5) == b"done"

    run(main())
