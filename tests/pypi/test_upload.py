"""A successful upload: the file's metadata decides the release, and everything is recorded."""

from repository.models import Asset, AuditEvent, Package, Sidecar, Version
from repository.storage import blob_store


def test_it_accepts_a_wheel_and_records_the_release(repo, upload, wheel):
    response = upload(repo, wheel)
    assert response.status_code == 200
    package = Package.objects.get(repository=repo)
    assert (package.name, package.display_name) == ("tiny-pkg", "Tiny-Pkg")
    version = Version.objects.get(package=package)
    assert version.version == "1.0"
    assert version.metadata["summary"] == "A tiny package for tests"
    assert version.metadata["description"].startswith("# Tiny")
    assert version.metadata["description_content_type"] == "text/markdown"
    assert version.metadata["license"] == "MIT"
    assert version.metadata["requires_python"] == ">=3.8"
    asset = Asset.objects.get(path="files/tiny-pkg/1.0/tiny_pkg-1.0-py3-none-any.whl")
    assert asset.blob_id == wheel.sha256
    assert asset.metadata["requires_python"] == ">=3.8"
    assert asset.metadata["filetype"] == "bdist_wheel"
    assert asset.uploader.username == "deployer"


def test_it_stores_the_wheels_metadata_file_as_its_own_blob(repo, upload, wheel):
    upload(repo, wheel)
    wheel_asset = Asset.objects.get(path="files/tiny-pkg/1.0/tiny_pkg-1.0-py3-none-any.whl")
    sidecar = Sidecar.objects.get(asset=wheel_asset, role="core-metadata")
    with blob_store().open(sidecar.blob_id) as stored:
        assert stored.read() == wheel.metadata
    assert wheel_asset.metadata["core_metadata_sha256"] == sidecar.blob_id


def test_it_accepts_an_sdist_without_a_metadata_file(repo, upload, sdist):
    response = upload(repo, sdist)
    assert response.status_code == 200
    asset = Asset.objects.get(repository=repo)
    assert asset.path == "files/tiny-pkg/1.0/tiny_pkg-1.0.tar.gz"
    assert not Sidecar.objects.filter(asset=asset).exists()


def test_it_accepts_the_upload_url_without_a_trailing_slash(repo, upload, wheel):
    response = upload(repo, wheel, path="legacy")
    assert response.status_code == 200
    assert Asset.objects.filter(repository=repo, filename=wheel.filename).exists()


def test_it_accepts_md5_alone_as_the_digest(repo, upload, wheel):
    import hashlib

    md5 = hashlib.md5(wheel.data).hexdigest()
    response = upload(repo, wheel, sha256_digest=None, blake2_256_digest=None, md5_digest=md5)
    assert response.status_code == 200


def test_it_records_an_audit_event_per_upload(repo, upload, wheel, sdist):
    upload(repo, wheel)
    upload(repo, sdist)
    events = AuditEvent.objects.filter(action="pypi.upload").order_by("created")
    assert [e.details["filename"] for e in events] == [wheel.filename, sdist.filename]
    assert all(e.actor.username == "deployer" and e.repository_name == "py" for e in events)
