"""HEAD, answered for every GET as the GET would be, less the body (RFC 9110, 9.3.2): the
same status and headers, `content-length` included. One layer in front of everything a
server serves, the held-answer shortcut included, so no path can answer it differently."""

from __future__ import annotations

from typing import Any

# An event stream never ends of itself: a HEAD of it is refused as the route refuses it.
_ENDLESS = ("/events/stream",)


class HeadAsGet:
    """An ASGI app: a HEAD request goes on as a GET, and its body is dropped."""

    def __init__(self, app: Any) -> None:
        self.app = app

    # The scope and messages are plain ASGI dicts, as the server makes them.
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD" or scope["path"] in _ENDLESS:
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
