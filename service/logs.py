"""The service's logs: one line per record on standard error, as JSON (one object a line,
for log collectors) or as text (for people), at a level the settings give. Records carry
their extra fields (an access line's request id, route, status, duration), in JSON as
members and in text after the message."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import msgspec

# The attributes every LogRecord has; anything else on a record was given as `extra`.
# (uvicorn adds `color_message`, the message with terminal colours, which says nothing more.)
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}
_ENCODER = msgspec.json.Encoder()
_HANDLER = "claimledger"


def _extra(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


class JsonLines(logging.Formatter):
    """A record as one JSON object: time (UTC), level, logger, message, extra fields, and
    the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_extra(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _ENCODER.encode(line).decode()


class Text(logging.Formatter):
    """A record as a line of text, its extra fields as `name=value` after the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in _extra(record).items())
        return f"{text} {extra}" if extra else text


def configure(level: str = "info", form: str = "json") -> None:
    """Send every log record at `level` or above to standard error, in the `form` asked
    (`json` or `text`); uvicorn's loggers included."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if form == "json" else Text())
    handler.set_name(_HANDLER)
    root = logging.getLogger()
    for earlier in [h for h in root.handlers if h.get_name() == _HANDLER]:
        root.removeHandler(earlier)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
