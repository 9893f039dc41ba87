"""Core tests may publish aged versions as the retention tests do."""

from tests.retention.fixtures import policy, publish, tag

__all__ = ["policy", "publish", "tag"]
