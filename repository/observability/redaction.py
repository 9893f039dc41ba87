"""No secret in any log line: API tokens and passwords in URLs are masked before a record
is written, by Django's handlers and gunicorn's access and error logs alike.

Tokens reach URLs by protocol (npm logout is `DELETE /-/user/token/<token>`), and a client
misconfigured with `https://user:password@host/` may send credentials in a Referer header.
Larder itself never logs an Authorization header.
"""

import logging
import re

from gunicorn.glogging import Logger

_TOKEN = re.compile(r"(larder_[A-Za-z0-9_-]{6})[A-Za-z0-9_-]+")
_URL_PASSWORD = re.compile(r"(://[^/\s:@]*):[^@/\s]+@")


def redact(text: str) -> str:
    return _URL_PASSWORD.sub(r"\1:[redacted]@", _TOKEN.sub(r"\1[redacted]", text))


def _redacted(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(_redacted(item) for item in value)
    return value


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = _redacted(record.args)
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger (`--logger-class`) with the filter on its access and error logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactSecretsFilter())
