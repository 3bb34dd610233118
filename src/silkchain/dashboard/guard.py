"""The dashboard's outer wall: every request is checked here before FastAPI parses it.

:class:`Guard` is a plain ASGI middleware that answers, with a JSON body
``{"detail": "<field>: <what was wrong>"}`` and a 4xx status, any request that

* names a ``Host`` this server does not answer to (400; DNS rebinding);
* lacks the access token when one is set (401; required when bound beyond loopback);
* posts from a page of another origin (``Origin`` or ``Sec-Fetch-Site``, 403);
* carries a body larger than ``max_body`` bytes (413, from ``Content-Length`` or
  while streaming, never read whole);
* carries JSON nested deeper than ``max_depth`` levels (422, checked on the raw
  bytes before any parser runs), that is not valid JSON, or that holds ``NaN``,
  ``Infinity``, numbers beyond the float range or integers longer than
  ``MAX_INT_DIGITS`` digits (422, naming the field as ``body.a.b.0``).

Whatever passes reaches the application unchanged (the body is replayed).

>>> depth(b'{"a": [1, {"b": "[[[["}]}')
3
>>> bad_numbers(parse_json(b'{"x": [1, NaN], "y": 1e999}'))
['body.x.1: NaN is not a finite number', 'body.y: 1e999 is beyond the float range']
"""

from __future__ import annotations

import hmac
import json
import math
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Host names a loopback-bound server answers to (any port).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: Largest request body accepted (bytes) and deepest JSON nesting.
MAX_BODY = 65_536
MAX_DEPTH = 32
#: Longest integer accepted in a JSON body (digits); longer ones are refused, not rounded.
MAX_INT_DIGITS = 18
#: Paths open without the token (liveness checks by monitors).
OPEN_PATHS = ("/api/health",)
COOKIE = "silkchain_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` serves this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0"), is_loopback("::1")
    (True, False, True)
    """
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def new_token() -> str:
    """A fresh random access token (URL-safe)."""
    return secrets.token_urlsafe(24)


def host_name(value: str) -> str:
    """The host part of a ``Host`` header (no port, no brackets), lower case.

    >>> host_name("LOCALHOST:8000"), host_name("[::1]:80"), host_name("127.0.0.1")
    ('localhost', '::1', '127.0.0.1')
    """
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value[1:]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def depth(data: bytes) -> int:
    """Deepest nesting of ``[``/``{`` in JSON text, ignoring brackets inside strings."""
    deepest = level = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            level += 1
            deepest = max(deepest, level)
        elif byte in (0x5D, 0x7D):
            level -= 1
    return deepest


class _Bad:
    """A number the parser refused; kept in place so its field can be named."""

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why


def _int(text: str) -> int | _Bad:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return _Bad(f"{text[:12]}… ({len(text.lstrip('-'))} digits)",
                    f"has more than {MAX_INT_DIGITS} digits")
    return int(text)


def _float(text: str) -> float | _Bad:
    value = float(text)
    if not math.isfinite(value):
        return _Bad(text[:24], "is beyond the float range")
    return value


def _constant(text: str) -> _Bad:
    return _Bad(text, "is not a finite number")


def parse_json(data: bytes) -> Any:
    """JSON with refused numbers kept as markers (see :func:`bad_numbers`)."""
    return json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant)


def bad_numbers(value: Any, where: str = "body") -> list[str]:
    """Every refused number in parsed JSON, as ``"body.path: text why"``."""
    if isinstance(value, _Bad):
        return [f"{where}: {value.text} {value.why}"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in bad_numbers(v, f"{where}.{str(k)[:40]}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in bad_numbers(v, f"{where}.{i}")]
    return []


@dataclass(frozen=True)
class Policy:
    """What :class:`Guard` enforces."""

    hosts: tuple[str, ...] = LOOPBACK_HOSTS  #: accepted ``Host`` names; ``("*",)``: any
    token: str | None = None
    max_body: int = MAX_BODY
    max_depth: int = MAX_DEPTH


async def _answer(send: Send, status: int, detail: str,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


class Guard:
    """ASGI middleware enforcing a :class:`Policy` before the application sees a request."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        problem = self._host(headers) or self._origin(scope, headers)
        if problem:
            await _answer(send, *problem)
            return
        set_cookie = False
        if self.policy.token is not None and scope["path"] not in OPEN_PATHS:
            status = self._token(scope, headers)
            if status == "missing":
                await _answer(send, 401, "header Authorization: this dashboard needs its "
                              "access token (Authorization: Bearer <token>, or open the URL "
                              "printed by silkchain serve, which carries ?token=)",
                              [(b"www-authenticate", b"Bearer")])
                return
            set_cookie = status == "query"
        if scope["method"] in UNSAFE or "content-length" in headers:
            replay = await self._body(scope, headers, receive, send)
            if replay is None:
                return
            receive = replay
        if set_cookie:
            send = self._with_cookie(send)
        await self.app(scope, receive, send)

    def _host(self, headers: dict[str, str]) -> tuple[int, str] | None:
        if "*" in self.policy.hosts:
            return None
        raw = headers.get("host", "")
        if host_name(raw) in self.policy.hosts:
            return None
        return 400, (f"header Host: {raw[:60]!r} is not a name this server answers to; "
                     f"use one of {', '.join(self.policy.hosts)}")

    def _origin(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        if scope["method"] not in UNSAFE:
            return None
        if headers.get("sec-fetch-site") == "cross-site":
            return 403, "header Sec-Fetch-Site: requests from other sites are refused"
        origin = headers.get("origin")
        if origin is None:
            return None  # not sent by a browser page (curl, scripts): Host was checked
        parts = urlsplit(origin)
        if origin != "null" and parts.netloc.lower() == headers.get("host", "").lower():
            return None
        return 403, (f"header Origin: {origin[:60]!r} is not this dashboard; jobs are "
                     "started only from its own page")

    def _token(self, scope: Scope, headers: dict[str, str]) -> str:
        want = self.policy.token or ""
        given: list[tuple[str, str]] = []
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given.append(("header", auth[7:].strip()))
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is simply no token
            cookie = SimpleCookie()
        if COOKIE in cookie:
            given.append(("cookie", cookie[COOKIE].value))
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        for value in query.get("token", [])[:1]:
            given.append(("query", value))
        for how, value in given:
            if hmac.compare_digest(value.encode(), want.encode()):
                return how
        return "missing"

    def _with_cookie(self, send: Send) -> Send:
        value = f"{COOKIE}={self.policy.token}; Path=/; HttpOnly; SameSite=Strict"

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []),
                                      (b"set-cookie", value.encode())]
            await send(message)

        return wrapped

    async def _body(self, scope: Scope, headers: dict[str, str], receive: Receive,
                    send: Send) -> Receive | None:
        limit = self.policy.max_body
        declared = headers.get("content-length", "")
        if declared and (not declared.isdigit() or int(declared) > limit):
            await _answer(send, 413, f"body: {declared[:20]} bytes declared; at most {limit}")
            return None
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _answer(send, 413, f"body: more than {limit} bytes; at most {limit}")
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        data = b"".join(chunks)
        if data.strip() and "json" in headers.get("content-type", "json"):
            problem = self._json(data)
            if problem:
                await _answer(send, 422, problem)
                return None
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        return replay

    def _json(self, data: bytes) -> str | None:
        deepest = depth(data)
        if deepest > self.policy.max_depth:
            return (f"body: JSON nested {deepest} levels deep; at most "
                    f"{self.policy.max_depth}")
        try:
            value = parse_json(data)
        except (ValueError, RecursionError) as err:
            where = ""
            if isinstance(err, json.JSONDecodeError):
                where = f" at line {err.lineno} column {err.colno}: {err.msg}"
            return f"body: not valid JSON{where}"
        problems = bad_numbers(value)
        return "; ".join(problems[:5]) if problems else None
