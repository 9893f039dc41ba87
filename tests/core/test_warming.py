"""After a write, documents are warmed only for formats that render any ahead of reads."""

import pytest

from repository import tasks
from repository.formats import get_format
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, ensure_package, ensure_version


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.warm_package_documents, "delay", lambda *a: calls.append(a))
    return calls


def publish(make_repository, fmt: str, name: str):
    repository = make_repository(f"{fmt}-warm", fmt)
    package, _ = ensure_package(repository, get_format(fmt), name)
    version, _ = ensure_version(package, "1.0.0")
    add_asset(repository, f"{name}/1.0.0", store_bytes(b"x"), filename="f", package=package,
              version=version)  # fmt: skip
    package.refresh_from_db()
    return package


def test_a_write_to_an_npm_package_queues_its_current_generation(
    make_repository, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        package = publish(make_repository, "npm", "demo")
    assert set(queued) == {(package.pk, package.generation)}


def test_a_write_to_a_format_that_warms_nothing_queues_nothing(
    make_repository, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_repository, "pypi", "demo")
    assert queued == []
