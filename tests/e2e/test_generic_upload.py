"""curl --upload-file against a live Larder: checksums, re-uploads under both write policies."""

import hashlib

import pytest

from repository.models import Asset
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def artifact(tmp_path):
    path = tmp_path / "app.tar.gz"
    path.write_bytes(b"release 1.0 " * 1000)
    return path


def test_it_stores_an_upload_whose_checksum_matches(
    live, deployer_auth, make_repository, curl, artifact
):
    make_repository("files", "generic")
    digest = hashlib.sha256(artifact.read_bytes()).hexdigest()
    url = live.repo_url("files") + "builds/app.tar.gz"
    uploaded = curl(
        "-u",
        deployer_auth,
        "-H",
        f"X-Checksum-Sha256: {digest}",
        "--upload-file",
        str(artifact),
        url,
    )
    assert uploaded.status == 201, uploaded.text
    assert uploaded.headers["location"] == url

    downloaded = curl(url)
    assert downloaded.status == 200
    assert downloaded.body == artifact.read_bytes()
    assert downloaded.headers["x-checksum-sha256"] == digest


def test_it_stores_nothing_when_the_checksum_is_wrong(
    live, deployer_auth, make_repository, curl, artifact
):
    make_repository("files", "generic")
    url = live.repo_url("files") + "builds/app.tar.gz"
    response = curl(
        "-u",
        deployer_auth,
        "-H",
        f"X-Checksum-Sha1: {'0' * 40}",
        "--upload-file",
        str(artifact),
        url,
    )
    assert response.status == 400
    assert "X-Checksum-Sha1 mismatch" in response.text
    assert curl(url).status == 404
    assert not Asset.objects.exists()


def test_it_answers_identical_and_conflicting_reuploads_on_an_immutable_repository(
    live, deployer_auth, make_repository, curl, artifact, tmp_path
):
    make_repository("files", "generic")
    url = live.repo_url("files") + "app.tar.gz"
    assert curl("-u", deployer_auth, "-T", str(artifact), url).status == 201
    assert curl("-u", deployer_auth, "-T", str(artifact), url).status == 200

    changed = tmp_path / "changed.tar.gz"
    changed.write_bytes(b"release 1.1")
    conflict = curl("--fail-with-body", "-u", deployer_auth, "-T", str(changed), url)
    assert conflict.status == 409
    assert conflict.returncode == 22  # a CI script using --fail stops here
    assert "already exists" in conflict.text
    assert curl(url).body == artifact.read_bytes()


def test_it_replaces_conflicting_bytes_on_a_repository_that_allows_redeploys(
    live, deployer_auth, make_repository, curl, artifact, tmp_path
):
    make_repository("snapshots", "generic", redeploy_policy="allowed")
    url = live.repo_url("snapshots") + "app.tar.gz"
    assert curl("-u", deployer_auth, "-T", str(artifact), url).status == 201
    assert curl("-u", deployer_auth, "-T", str(artifact), url).status == 200

    changed = tmp_path / "changed.tar.gz"
    changed.write_bytes(b"release 1.1")
    replaced = curl("-u", deployer_auth, "-T", str(changed), url)
    assert replaced.status == 200
    assert "Replaced" in replaced.text
    assert curl(url).body == b"release 1.1"


def test_it_takes_a_chunked_upload_from_a_pipe(live, deployer_auth, make_repository, curl):
    make_repository("files", "generic")
    url = live.repo_url("files") + "from-pipe.bin"
    data = bytes(range(256)) * 8192  # 2 MiB
    uploaded = curl("-u", deployer_auth, "-H", "Expect:", "-T", "-", url, stdin=data)
    assert uploaded.status == 201, uploaded.text
    assert curl(url).body == data


def test_it_appends_the_file_name_to_a_folder_url_as_curl_does(
    live, deployer_auth, make_repository, curl, artifact
):
    make_repository("files", "generic")
    folder = live.repo_url("files") + "nightly/"
    assert curl("-u", deployer_auth, "-T", str(artifact), folder).status == 201
    assert Asset.objects.get().path == "nightly/app.tar.gz"


def test_it_takes_a_form_upload_from_curl(live, deployer_auth, make_repository, curl, artifact):
    make_repository("files", "generic")
    folder = live.repo_url("files") + "reports/"
    response = curl("-u", deployer_auth, "-F", f"file=@{artifact}", "-F", "path=q1/", folder)
    assert response.status == 201, response.text
    assert curl(folder + "q1/app.tar.gz").body == artifact.read_bytes()


def test_it_asks_anonymous_uploaders_to_authenticate(live, make_repository, curl, artifact):
    make_repository("files", "generic")
    response = curl("-T", str(artifact), live.repo_url("files") + "app.tar.gz")
    assert response.status == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert not Asset.objects.exists()
