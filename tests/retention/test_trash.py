"""The trash: deleted versions vanish from every index at once, come back as they were,
are refused back when re-published, and are purged after the repository's trash days, when
blob GC may reclaim their bytes (never before)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from repository.models import Asset, Blob, Repository, Tag, TrashEntry, Version, VersionPin
from repository.retention.gc import collect_garbage
from repository.retention.policies import pin_version
from repository.retention.restore import RestoreRefused, purge_expired, restore_entry
from repository.retention.trash import trash_file, trash_version
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, set_yanked
from repository.storage import blob_store
from tests.retention.fixtures import versions_of


@pytest.fixture
def repo(make_repository):
    return make_repository("py", "pypi")


@pytest.fixture
def npm(make_repository):
    return make_repository("js", "npm")


def test_a_trashed_version_is_gone_from_pages_and_comes_back_as_it_was(
    repo, publish, client, admin
):
    version = publish(repo, "alpha", "1.0", days_old=12, downloaded_days_ago=3, content=b"one")
    publish(repo, "alpha", "2.0")
    set_yanked(version, True, "broken on Windows")
    Version.objects.filter(pk=version.pk).update(download_count=41, metadata={"summary": "A"})
    pin_version(version, reason="audited", actor=admin)
    before = Version.objects.get(pk=version.pk)
    asset_before = Asset.objects.get(version=version)

    entry = trash_version(before, reason="DELETE", actor=admin)
    assert "alpha-1.0.tgz" not in client.get("/repository/py/simple/alpha/").content.decode()
    assert (entry.kind, entry.version, entry.size, entry.actor) == ("version", "1.0", 3, admin)

    assert restore_entry(entry, actor=admin) == []
    after = Version.objects.get(package__repository=repo, version="1.0")
    fields = ("metadata", "yanked", "yanked_reason", "created", "last_downloaded")
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
    assert after.download_count == 41
    assert VersionPin.objects.get(version=after).reason == "audited"
    asset = Asset.objects.get(version=after)
    assert (asset.path, asset.blob_id, asset.created) == (
        asset_before.path,
        asset_before.blob_id,
        asset_before.created,
    )
    assert (
        'data-yanked="broken on Windows"'
        in client.get("/repository/py/simple/alpha/").content.decode()
    )
    download = client.get("/repository/py/files/alpha/1.0/alpha-1.0.tgz")
    assert b"".join(download.streaming_content) == b"one"
    assert not TrashEntry.objects.exists()


def test_restoring_a_version_number_published_again_is_refused(repo, publish):
    entry = trash_version(publish(repo, "alpha", "1.0"), reason="DELETE")
    publish(repo, "alpha", "1.0", content=b"rebuilt")
    with pytest.raises(RestoreRefused, match=r"alpha 1\.0 was published again after it was"):
        restore_entry(entry)
    assert TrashEntry.objects.filter(pk=entry.pk).exists()


def test_restoring_a_file_whose_path_was_uploaded_again_is_refused(repo, publish):
    version = publish(repo, "alpha", "1.0", filename="alpha-1.0.tar.gz")
    publish(repo, "alpha", "1.0", filename="alpha-1.0-py3-none-any.whl")
    wheel = Asset.objects.get(filename="alpha-1.0-py3-none-any.whl")
    entry = trash_file(wheel, reason="DELETE")
    assert entry.kind == "file"
    assert set(version.assets.values_list("filename", flat=True)) == {"alpha-1.0.tar.gz"}
    add_asset(
        repo,
        wheel.path,
        store_bytes(b"other wheel"),
        filename=wheel.filename,
        package=version.package,
        version=version,
    )
    with pytest.raises(RestoreRefused, match="was uploaded again"):
        restore_entry(entry)


def test_a_trashed_file_comes_back_into_its_version(repo, publish):
    version = publish(repo, "alpha", "1.0", filename="alpha-1.0.tar.gz")
    publish(repo, "alpha", "1.0", filename="alpha-1.0-py3-none-any.whl")
    entry = trash_file(Asset.objects.get(filename="alpha-1.0-py3-none-any.whl"), reason="DELETE")
    restore_entry(entry)
    assert version.assets.count() == 2


def test_the_last_file_of_a_version_takes_the_version_into_the_trash(repo, publish):
    publish(repo, "alpha", "1.0")
    version = publish(repo, "alpha", "2.0")
    entry = trash_file(version.assets.get(), reason="DELETE")
    assert (entry.kind, entry.version) == ("version", "2.0")
    assert versions_of(repo) == {("alpha", "1.0")}


def test_npm_latest_moves_to_the_newest_release_and_back_on_restore(npm, publish, tag, client):
    for version in ("1.9.0", "1.10.0", "2.0.0-rc.1"):
        publish(npm, "demo", version)
    latest = publish(npm, "demo", "1.11.0")
    tag(latest, "latest")
    tag(Version.objects.get(version="2.0.0-rc.1"), "next")

    entry = trash_version(latest, reason="DELETE")
    document = client.get("/repository/js/demo").json()
    assert document["dist-tags"] == {"latest": "1.10.0", "next": "2.0.0-rc.1"}
    assert "1.11.0" not in document["versions"]

    restore_entry(entry)
    document = client.get("/repository/js/demo").json()
    assert document["dist-tags"] == {"latest": "1.11.0", "next": "2.0.0-rc.1"}


def test_a_tag_a_later_publish_moved_stays_where_it_is(npm, publish, tag):
    publish(npm, "demo", "0.9.0", days_old=1)
    old = publish(npm, "demo", "1.0.0", days_old=1)
    tag(old, "latest")
    entry = trash_version(old, reason="DELETE")
    assert Tag.objects.get(name="latest").version.version == "0.9.0"
    newer = publish(npm, "demo", "1.1.0")
    Tag.objects.filter(name="latest").update(version=newer)
    assert restore_entry(entry) == ["latest"]
    assert Tag.objects.get(name="latest").version.version == "1.1.0"


def test_a_package_trashed_whole_comes_back_with_its_metadata(npm, publish, client):
    only = publish(npm, "solo", "1.0.0")
    only.package.metadata = {"maintainers": [{"name": "ann"}]}
    only.package.save()
    entry = trash_version(only, reason="npm unpublish")
    assert client.get("/repository/js/solo").status_code == 404
    restore_entry(entry)
    document = client.get("/repository/js/solo").json()
    assert document["dist-tags"] == {"latest": "1.0.0"}
    assert document["maintainers"] == [{"name": "ann"}]


def test_trashed_bytes_survive_gc_until_the_purge(repo, publish):
    entry = trash_version(publish(repo, "alpha", "1.0", content=b"keep me"), reason="DELETE")
    sha256 = entry.snapshot["assets"][0]["blob"]
    Blob.objects.filter(pk=sha256).update(last_seen=timezone.now() - timedelta(days=30))
    collect_garbage(grace_seconds=0)
    assert Blob.objects.filter(pk=sha256).exists()
    assert blob_store().modified(sha256) is not None

    assert purge_expired(timezone.now()) == 0
    assert purge_expired(entry.purge_after + timedelta(seconds=1)) == 1
    collect_garbage(grace_seconds=0)
    assert not Blob.objects.filter(pk=sha256).exists()


def test_a_repository_without_trash_deletes_at_once(repo, publish):
    Repository.objects.filter(pk=repo.pk).update(trash_days=0)
    repo.refresh_from_db()
    version = publish(repo, "alpha", "1.0")
    assert trash_version(version, reason="DELETE") is None
    assert not TrashEntry.objects.exists()
    assert versions_of(repo) == set()


def test_entries_wait_the_repositorys_trash_days(repo, publish):
    Repository.objects.filter(pk=repo.pk).update(trash_days=30)
    repo.refresh_from_db()
    entry = trash_version(publish(repo, "alpha", "1.0"), reason="DELETE")
    assert timedelta(days=29) < entry.purge_after - timezone.now() <= timedelta(days=30)
