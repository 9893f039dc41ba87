"""A project page costs the same few queries with 1 file or 50, rendered or from the cache."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repository.cache.memory import MemoryCache
from repository.models import Asset, Blob, Package, Version
from repository.services.packages import package_changed

JSON = "application/vnd.pypi.simple.v1+json"


def bulk_release(repo, name: str, count: int) -> None:
    """`count` versions of one wheel each, as uploads would record them (in a few queries)."""
    package = Package.objects.create(repository=repo, name=name, display_name=name)
    versions = Version.objects.bulk_create(
        Version(package=package, version=f"1.{minor}") for minor in range(count)
    )
    blobs = Blob.objects.bulk_create(
        Blob(sha256=hashlib.sha256(f"{name}{v.version}".encode()).hexdigest(), size=1)
        for v in versions
    )
    Asset.objects.bulk_create(
        Asset(
            repository=repo,
            package=package,
            version=version,
            blob=blob,
            filename=f"{name}-{version.version}-py3-none-any.whl",
            path=f"files/{name}/{version.version}/{name}-{version.version}-py3-none-any.whl",
            metadata={
                "requires_python": ">=3.8",
                "core_metadata_sha256": blob.sha256,
            },
        )
        for version, blob in zip(versions, blobs, strict=True)
    )


@pytest.fixture
def projects(repo):
    bulk_release(repo, "one", 1)
    bulk_release(repo, "many", 50)
    return repo


def queries(client, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(captured)


def rerender(name: str) -> None:
    package_changed(Package.objects.get(name=name))


@pytest.mark.parametrize("accept", ["text/html", JSON])
def test_it_renders_a_page_in_a_fixed_number_of_queries(
    projects, client, django_assert_num_queries, accept
):
    queries(client, "/repository/py/simple/one/", HTTP_ACCEPT=accept)  # the repository known
    rerender("one")
    expected = queries(client, "/repository/py/simple/one/", HTTP_ACCEPT=accept)
    rerender("many")
    with django_assert_num_queries(expected):
        response = client.get("/repository/py/simple/many/", HTTP_ACCEPT=accept)
    assert response.content.count(b"many-1.") >= 50


@pytest.mark.parametrize("accept", ["text/html", JSON])
def test_it_serves_a_stored_page_in_a_fixed_number_of_queries(
    projects, client, django_assert_num_queries, monkeypatch, accept
):
    monkeypatch.setattr("repository.cache.copies.copies", MemoryCache(0))  # no memory copy
    for name in ("one", "many"):
        client.get(f"/repository/py/simple/{name}/", HTTP_ACCEPT=accept)
    expected = queries(client, "/repository/py/simple/one/", HTTP_ACCEPT=accept)
    with django_assert_num_queries(expected):
        client.get("/repository/py/simple/many/", HTTP_ACCEPT=accept)


def test_it_serves_a_page_from_memory_in_a_fixed_number_of_queries(
    projects, client, django_assert_num_queries
):
    for name in ("one", "many"):
        client.get(f"/repository/py/simple/{name}/")
    expected = queries(client, "/repository/py/simple/one/")
    with django_assert_num_queries(expected):
        client.get("/repository/py/simple/many/")


def test_it_renders_the_json_api_in_a_fixed_number_of_queries(
    projects, client, django_assert_num_queries
):
    queries(client, "/repository/py/pypi/one/json")  # the repository known, as for "many"
    rerender("one")
    expected = queries(client, "/repository/py/pypi/one/json")
    rerender("many")
    with django_assert_num_queries(expected):
        client.get("/repository/py/pypi/many/json")
