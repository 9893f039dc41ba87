"""The current request id, for log lines and the X-Request-Id response header."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")
