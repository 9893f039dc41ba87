"""Retention tests use the fixtures of tests/retention/fixtures.py."""

from tests.retention.fixtures import policy, publish, tag

__all__ = ["policy", "publish", "tag"]
