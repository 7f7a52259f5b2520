"""The service's front door, as pure ASGI middleware (no request body is buffered here).

Order of checks for every request to /api/v1 (except the public published reads):
1. the bearer token is authenticated from the headers alone, before a single body byte is read, so an
   anonymous client cannot make the server hold its upload (401, audited, rate-limited per client);
2. a declared Content-Length over the limit is refused at once (413);
3. the body is then counted as it streams (chunked uploads have no Content-Length): the first chunk
   past the limit ends the request with 413, so the server never holds more than the limit.
Every /api/v1 response carries `Cache-Control: no-store` (records must not sit in caches).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import anyio
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("openimr.api")

API = "/api/v1/"
PUBLIC = ("/api/v1/published/",)
CASE_IN_PATH = re.compile(r"^/api/v1/cases/([^/]{1,64})")


class BodyTooLarge(HTTPException):
    """Raised from `receive` mid-stream. An HTTPException, so FastAPI's body reader passes it through
    (it turns any other exception into a 400) and the app answers 413."""

    def __init__(self, max_body: int):
        super().__init__(413, f"request body over {max_body / (1024 * 1024):g} MB")


class RateLimiter:
    """A token bucket per key (the client address): `rate` per minute, bursts up to `rate`."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        self.rate = per_minute / 60.0
        self.burst = max(1.0, per_minute)
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if len(self._buckets) >= self.max_keys and key not in self._buckets:
                self._buckets.clear()  # bounded memory: forget everyone rather than grow without end
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True


def _client(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "-"


def _bearer(scope: Scope) -> str | None:
    for k, v in scope.get("headers") or []:
        if k == b"authorization":
            try:
                scheme, _, token = v.decode("latin-1").partition(" ")
            except Exception:  # pragma: no cover - latin-1 decodes any bytes
                return None
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None


def _content_length(scope: Scope) -> int | None:
    for k, v in scope.get("headers") or []:
        if k == b"content-length":
            try:
                return int(v)
            except ValueError:
                return None
    return None


async def _json(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), (b"connection", b"close"), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Authenticate first, then stream the body under `max_body` bytes (see the module docstring).

    `authenticate(token) -> actor | None` and `on_unauthorized(reason, case_id, client)` are the
    service's; they run in a worker thread (they touch the database). `cached(token) -> actor | None`,
    if given, answers from memory only (the service's token cache) and runs on the event loop: a token
    checked in the last seconds costs no thread hop (issue 15)."""

    def __init__(self, app: ASGIApp, *, max_body: int, authenticate: Callable[[str], Any],
                 on_unauthorized: Callable[[str, str | None, str], None], limiter: RateLimiter,
                 public_limiter: RateLimiter, cached: Callable[[str], Any] | None = None):
        self.app = app
        self.cached = cached
        self.public_limiter = public_limiter
        self.max_body = max_body
        self.authenticate = authenticate
        self.on_unauthorized = on_unauthorized
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        api = path.startswith(API)
        if api and not path.startswith(PUBLIC):
            token = _bearer(scope)
            actor = self.cached(token) if token and self.cached is not None else None
            if actor is None and token:
                actor = await anyio.to_thread.run_sync(self.authenticate, token)
            if actor is None:
                reason = "unknown or revoked token" if token else "missing bearer token"
                client = _client(scope)
                if not self.limiter.allow(client):
                    await _json(send, 429, b'{"detail":"too many failed authentications; retry later"}',
                                [(b"retry-after", b"60")])
                    return
                m = CASE_IN_PATH.match(path)
                await anyio.to_thread.run_sync(self.on_unauthorized, reason, m.group(1) if m else None, client)
                await _json(send, 401, json.dumps({"detail": reason}).encode(), [(b"www-authenticate", b"Bearer")])
                return
            scope.setdefault("state", {})["actor"] = actor
        elif api and not self.public_limiter.allow(_client(scope)):
            # anonymous reads write an audit row each: bound them per client
            await _json(send, 429, b'{"detail":"too many requests; retry later"}', [(b"retry-after", b"60")])
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _json(send, 413, self._too_large())
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if api:
                    headers = [h for h in message.get("headers", []) if h[0].lower() != b"cache-control"]
                    message = {**message, "headers": [*headers, (b"cache-control", b"no-store")]}
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _json(send, 413, self._too_large())

    def _too_large(self) -> bytes:
        return json.dumps({"detail": BodyTooLarge(self.max_body).detail}).encode()
