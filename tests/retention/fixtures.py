"""Retention fixtures (imported by the conftests that use them): versions published through the
core's services, then aged.

`publish(repository, "demo", "1.0", days_old=40, downloaded_days_ago=None)` stores a real
blob (so GC and dedup are real) and backdates the version and its file.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from repository.formats import get_format
from repository.models import Asset, Tag, Version
from repository.retention.policies import create_policy
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, ensure_package, ensure_version


def native_path(fmt: str, name: str, version: str, filename: str) -> str:
    """Where the format's own views find the file."""
    if fmt == "pypi":
        return f"files/{name}/{version}/{filename}"
    if fmt == "npm":
        return f"{name}/-/{filename}"
    return f"{name}/{version}/{filename}"


@pytest.fixture
def publish(db):
    def make(
        repository,
        package: str,
        version: str,
        *,
        days_old: int = 0,
        downloaded_days_ago: int | None = None,
        content: bytes | None = None,
        filename: str | None = None,
    ) -> Version:
        fmt = get_format(repository.format)
        package_row, _ = ensure_package(repository, fmt, package)
        version_row, _ = ensure_version(package_row, version)
        filename = filename or f"{package_row.name}-{version}.tgz"
        blob = store_bytes(content if content is not None else f"{package} {version}".encode())
        asset = add_asset(
            repository,
            native_path(repository.format, package_row.name, version, filename),
            blob,
            filename=filename,
            package=package_row,
            version=version_row,
        ).asset
        now = timezone.now()
        times = {
            "created": now - timedelta(days=days_old),
            "last_downloaded": None
            if downloaded_days_ago is None
            else now - timedelta(days=downloaded_days_ago),
        }
        Version.objects.filter(pk=version_row.pk).update(**times)
        Asset.objects.filter(pk=asset.pk).update(**times)
        version_row.refresh_from_db()
        return version_row

    return make


@pytest.fixture
def tag(db):
    def make(version: Version, name: str) -> Tag:
        return Tag.objects.update_or_create(
            package=version.package, name=name, defaults={"version": version}
        )[0]

    return make


@pytest.fixture
def policy(db):
    def make(*repositories, name: str = "cleanup", **rules):
        return create_policy(name, repositories=list(repositories), **rules)

    return make


def versions_of(repository) -> set[tuple[str, str]]:
    return set(
        Version.objects.filter(package__repository=repository).values_list(
            "package__name", "version"
        )
    )
