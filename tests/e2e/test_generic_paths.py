"""Path traversal with curl --path-as-is: refused with 400, nothing escapes the repository."""

import pytest

from repository.models import Asset
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
)

pytestmark = pytest.mark.e2e

TRAVERSALS = [
    "../other/secret.txt",
    "a/../../other/secret.txt",
    "%2e%2e/other/secret.txt",
    "%2E%2E%2Fother%2Fsecret.txt",
    "..%5Cother%5Csecret.txt",
    "./secret.txt",
    "a//secret.txt",
    "a%00.txt",
    "a%0D%0AX-Injected:%201",
]


@pytest.fixture
def repositories(live, make_repository, deployer_auth, curl, tmp_path):
    make_repository("files", "generic")
    make_repository("other", "generic")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"other's secret")
    url = live.repo_url("other") + "secret.txt"
    assert curl("-u", deployer_auth, "-T", str(secret), url).status == 201
    return live.repo_url("files")


def test_it_refuses_traversal_on_download(repositories, curl):
    for path in TRAVERSALS:
        response = curl("--path-as-is", repositories + path)
        assert response.status == 400, (path, response.text)
        assert response.text.startswith("400 invalid path"), path
        assert "other's secret" not in response.text


def test_it_refuses_traversal_on_upload_and_stores_nothing(
    repositories, deployer_auth, curl, tmp_path
):
    payload = tmp_path / "payload"
    payload.write_bytes(b"overwrite")
    for path in TRAVERSALS:
        response = curl(
            "--path-as-is", "-u", deployer_auth, "-T", str(payload), repositories + path
        )
        assert response.status == 400, (path, response.text)
        assert "x-injected" not in response.headers
    assert list(Asset.objects.values_list("repository__name", "path")) == [("other", "secret.txt")]
    assert Asset.objects.get().blob.size == len(b"other's secret")
