"""Routes whose JSON bodies are read by `app.json_input`: a body FastAPI's own parser would
take but the app cannot hold (NaN, a lone surrogate, nesting thousands deep) is a 422 that
says what and where, before any handler runs."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.routing import APIRoute

from app import json_input


class _StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            try:
                self._json = json_input.loads(await self.body())
            except json_input.Refused as exc:
                # FastAPI turns any other exception raised while reading a body into a 400.
                raise HTTPException(422, detail=str(exc)) from None
        return self._json


class StrictJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handle(_StrictJSONRequest(request.scope, request.receive))

        return strict
