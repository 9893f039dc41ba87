"""A private generic repository: curl and wget need a token to read, a deployer's to write."""

import subprocess

import pytest

from tests.e2e.conftest import require_tool
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
    reader_auth_fixture,
)

pytestmark = pytest.mark.e2e


def test_it_serves_a_private_repository_to_token_holders_only(
    live, make_repository, deployer_auth, reader_auth, outsider, make_token, curl, tmp_path
):
    make_repository("secret", "generic", private=True)
    source = tmp_path / "build.zip"
    source.write_bytes(b"private build")
    url = live.repo_url("secret") + "builds/build.zip"

    assert curl("-u", reader_auth, "-T", str(source), url).status == 403
    assert curl("-u", deployer_auth, "-T", str(source), url).status == 201

    anonymous = curl(url)
    assert anonymous.status == 401
    assert anonymous.headers["www-authenticate"].startswith("Basic")
    assert curl("-u", f"__token__:{make_token(outsider)}", url).status == 404
    assert curl("-u", "__token__:larder_not-a-real-token", url).status == 401

    assert curl("-u", reader_auth, url).body == b"private build"
    bearer = reader_auth.removeprefix("__token__:")
    assert curl("-H", f"Authorization: Bearer {bearer}", url).body == b"private build"
    listing = curl("-u", reader_auth, "-H", "Accept: application/json", live.repo_url("secret"))
    assert [folder["name"] for folder in listing.json()["folders"]] == ["builds"]

    wget = require_tool("wget")
    target = tmp_path / "via-wget.zip"
    subprocess.run(
        [
            wget,
            "--no-config",
            "-q",
            "--no-proxy",
            "--header",
            f"Authorization: Bearer {bearer}",
            "-O",
            str(target),
            url,
        ],
        check=True,
        timeout=60,
    )
    assert target.read_bytes() == b"private build"
