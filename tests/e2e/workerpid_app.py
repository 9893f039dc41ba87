"""A WSGI app answering with the pid of the gunicorn worker that served the request.

`/slow` answers after SLOW_SECONDS, holding one of the worker's threads meanwhile;
`/live` answers with the number of workers the connection-sharing table counts.
"""

import os
import time

from repository.management.webworker import board

SLOW_SECONDS = 4.0


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/slow":
        time.sleep(SLOW_SECONDS)
    body = str(len(board.live()) if path == "/live" else os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
