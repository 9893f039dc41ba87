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
    # Most lines hold neither marker: two substring checks instead of two regex passes.
    if "larder_" in text:
        text = _TOKEN.sub(r"\1[redacted]", text)
    if "@" in text:
        text = _URL_PASSWORD.sub(r"\1:[redacted]@", text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Formats the record's message once and masks that line, whatever its arguments are:
    gunicorn's access records carry a dict of every request header and field, and masking
    each of them cost a sixth of a warm request (bench/results/2026-12-03-vm-profile.md)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            line = record.getMessage()
        except Exception:  # arguments that do not fit: the bare message, never the arguments
            line = str(record.msg)
        record.msg, record.args = redact(line), None
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger (`--logger-class`) with the filter on its access and error logs."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactSecretsFilter())
