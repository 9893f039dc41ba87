"""Proxy repositories' format-neutral core: everything a proxy does that no format knows.

Each module has one job; a format supplies only what is its own (how to read its
upstream's index, where its files are, which hash to check):

- settings.py   `settings["proxy"]`, checked once and typed; credentials write-only.
- addresses.py  the SSRF guard: which addresses a request may connect to.
- client.py     outbound HTTP (urllib3): timeouts, redirects, size limits, conditional and
                range requests, one log line per request; failures typed in errors.py by
                what the client is told (404, 502, 503 + Retry-After, 504).
- shared.py     state all processes share: Redis, or files under the data dir embedded.
- flight.py     single flight: one upstream fetch for N concurrent callers, anywhere.
- breaker.py    the circuit breaker per repository (consecutive failures, 429s).
- tee.py        an upstream file to the client while it is stored, kept only if verified.
- remotezip.py  one member of a remote zip by range requests (PEP 658 for every wheel).
- metrics.py    answers by result, upstream latency, errors, bytes, breaker state.
- status.py     the upstream's last success and last error, for the UI and the API.
"""
