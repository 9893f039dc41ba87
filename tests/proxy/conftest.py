"""Proxy core tests: the API client of tests/api, and the blob stores of tests/storage."""

from tests.api.conftest import api  # noqa: F401 - fixture
