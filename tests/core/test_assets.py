"""Recording files: identical re-uploads are no-ops, conflicts obey the write policy."""

import pytest

from repository.models import Asset, Repository
from repository.services.blobs import store_bytes
from repository.services.packages import AssetConflict, QuotaExceeded, add_asset


@pytest.fixture
def repository(db):
    return Repository.objects.create(name="files", format="generic")


def test_it_creates_an_asset_once_and_treats_identical_bytes_as_a_no_op(repository):
    blob = store_bytes(b"one")
    first = add_asset(repository, "a/b.txt", blob, filename="b.txt")
    again = add_asset(repository, "a/b.txt", store_bytes(b"one"), filename="b.txt")
    assert first.created and not again.created and not again.replaced
    assert Asset.objects.filter(repository=repository).count() == 1


def test_it_refuses_other_bytes_at_the_same_path_when_immutable(repository):
    add_asset(repository, "a.txt", store_bytes(b"one"), filename="a.txt")
    with pytest.raises(AssetConflict):
        add_asset(repository, "a.txt", store_bytes(b"two"), filename="a.txt")
    assert Asset.objects.get(repository=repository).blob.sha256 == store_bytes(b"one").sha256


def test_it_replaces_other_bytes_when_redeploy_is_allowed(repository):
    repository.redeploy_policy = Repository.RedeployPolicy.ALLOWED
    add_asset(repository, "a.txt", store_bytes(b"one"), filename="a.txt")
    result = add_asset(repository, "a.txt", store_bytes(b"two"), filename="a.txt")
    assert result.replaced
    assert Asset.objects.get(repository=repository).blob.sha256 == store_bytes(b"two").sha256


def test_it_stores_identical_bytes_once_across_repositories(repository):
    other = Repository.objects.create(name="other", format="generic")
    add_asset(repository, "x", store_bytes(b"shared"), filename="x")
    add_asset(other, "y", store_bytes(b"shared"), filename="y")
    blobs = {asset.blob_id for asset in Asset.objects.all()}
    assert len(blobs) == 1


def test_it_refuses_an_upload_past_the_repository_quota(repository):
    repository.quota_bytes = 5
    add_asset(repository, "small", store_bytes(b"1234"), filename="small")
    with pytest.raises(QuotaExceeded):
        add_asset(repository, "big", store_bytes(b"12"), filename="big")
    assert not Asset.objects.filter(path="big").exists()
