"""A logging filter that stamps every record with the current request id."""

import logging

from repository.observability.context import request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True
