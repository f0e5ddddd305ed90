"""A lean HTTP/1.1 client on asyncio streams: one keep-alive connection, one request at a
time, requests built once as bytes. The load generator needs little CPU per request, so that
on a small machine the server, not the client, sets the pace."""

from __future__ import annotations

import asyncio
import contextlib


class HttpError(Exception):
    """The server answered in a way this client cannot read."""


def get_request(host: str, port: int, path: str, key: str | None = None) -> bytes:
    """A GET request as bytes."""
    return _head("GET", host, port, path, key) + b"\r\n"


def post_request(host: str, port: int, path: str, body: bytes, key: str | None = None) -> bytes:
    """A POST of a JSON body as bytes."""
    head = _head("POST", host, port, path, key)
    return (
        head
        + b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


def _head(method: str, host: str, port: int, path: str, key: str | None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
    if key:
        lines.append(f"Authorization: Bearer {key}")
    return ("\r\n".join(lines) + "\r\n").encode()


class Connection:
    """One keep-alive connection to the server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """Send one request, (re)connecting when needed; the status and the body."""
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=1 << 20
            )
        assert self._reader is not None
        self._writer.write(request)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status, length, chunked, close = _parse_head(head)
        if chunked:
            body = await self._chunks()
        else:
            body = await self._reader.readexactly(length)
        if close:
            await self.close()
        return status, body

    async def _chunks(self) -> bytes:
        assert self._reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

    async def close(self) -> None:
        """Close the connection (a later send opens a new one)."""
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
            self._writer = None


def _parse_head(head: bytes) -> tuple[int, int, bool, bool]:
    """Status, content length, whether chunked, whether the server closes."""
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split(b" ", 2)[1])
    except (IndexError, ValueError):
        raise HttpError(f"not an HTTP response: {lines[0][:80]!r}") from None
    length, chunked, close = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            close = b"close" in value.lower()
    return status, length, chunked, close
