"""Log formatting: JSON lines in production, readable lines in development; both carry
the request id of the request a line was logged in (RequestIdFilter)."""

import contextvars
import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed through `extra=` and is kept.
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

# The id of the request being served in this thread or task (RequestLogMiddleware sets it).
current_request_id = contextvars.ContextVar("current_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Give every line logged while a request is served that request's id (an SQL line,
    a cache warning), unless the line names one itself."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request_id = current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True


def _extras(record):
    return {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_extras(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class ReadableFormatter(logging.Formatter):
    """`time LEVEL logger message key=value...`: the development console's line, with what
    was passed as `extra=` (the request log's request id, user and duration) at its end."""

    # Already in the request log's message ("GET /search/ 200").
    _IN_MESSAGE = {"method", "path", "status"}

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record):
        line = super().format(record)
        extras = {k: v for k, v in _extras(record).items() if k not in self._IN_MESSAGE}
        if "duration_ms" in extras:
            extras["duration"] = f"{extras.pop('duration_ms')}ms"
        if "user_id" in extras:
            extras["user"] = extras.pop("user_id") or "-"
        if extras:
            first, _, rest = line.partition("\n")  # a traceback stays below the line
            line = first + " " + " ".join(f"{k}={v}" for k, v in extras.items())
            line += f"\n{rest}" if rest else ""
        return line
