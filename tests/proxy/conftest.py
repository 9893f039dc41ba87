"""Proxy core tests: the API client of tests/api, and the shared state in both its forms."""

import pytest

from tests.api.conftest import api  # noqa: F401 - fixture
from tests.e2e.conftest import free_port
from tests.storage.conftest import (  # noqa: F401 - fixtures: both blob stores
    fs_store,
    moto_s3,
    s3_prefix,
    s3_store,
    store,
    temp_leftovers,
)


@pytest.fixture(params=["redis", "files"])
def shared_backend(request, settings, tmp_path) -> str:
    """Each test using this runs against Redis (production) and the data dir (embedded)."""
    if request.param == "files":
        settings.REDIS_URL = ""
        settings.DATA_DIR = tmp_path / "data"
    return request.param


@pytest.fixture
def redis_down(settings) -> None:
    """Redis configured, but nothing listens there."""
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
