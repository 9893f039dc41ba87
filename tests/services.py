"""Where the test suite finds its services: Postgres and Redis on 127.0.0.1 by default.

`LARDER_TEST_REDIS_PORT` moves every Redis database the suite uses to another server, so
two checkouts can run their suites at once (each with its own `DATABASE_URL` too).
"""

import os

REDIS_PORT = int(os.environ.get("LARDER_TEST_REDIS_PORT", "6379"))


def redis_url(database: int) -> str:
    return f"redis://127.0.0.1:{REDIS_PORT}/{database}"
