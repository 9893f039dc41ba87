"""A WSGI app answering with the pid of the gunicorn worker that served the request;
`/slow` answers after SLOW_SECONDS, holding the worker's thread meanwhile."""

import os
import time

SLOW_SECONDS = 4.0


def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(SLOW_SECONDS)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
