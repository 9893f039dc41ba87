"""Larder's benchmark harness: Larder against pypiserver, devpi, verdaccio and nginx.

Run `python -m bench` (or `make bench`); `python -m bench --quick` checks the harness in a
couple of minutes. See docs/benchmarks.md.
"""
