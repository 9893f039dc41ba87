"""Uploads sent to the wrong place, with the real clients: each error names the mistake."""

import re

import pytest

from tests.e2e.conftest import require_tool
from tests.npm.clients import NodeClients
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


def said(result) -> str:
    """What the client printed, its colours and line wrapping undone (twine wraps)."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    return " ".join(plain.split())


def test_twine_says_which_repository_does_not_exist(live, deployer, make_token, tmp_path):
    clients = Clients(tmp_path)
    wheel = clients.write(make_wheel("Tiny-Pkg", "1.0"))
    result = clients.twine_upload(
        live.repo_url("no-such-py") + "legacy/",
        "__token__",
        make_token(deployer),
        wheel,
        check=False,
    )
    assert result.returncode != 0
    assert "no-such-py/legacy/ no repository named no-such-py" in said(result)


def test_twine_says_uploads_go_to_legacy_not_simple(
    live, make_repository, deployer, make_token, tmp_path
):
    make_repository("py-e2e", "pypi")
    clients = Clients(tmp_path)
    wheel = clients.write(make_wheel("Tiny-Pkg", "1.0"))
    result = clients.twine_upload(
        live.repo_url("py-e2e") + "simple/", "__token__", make_token(deployer), wheel, check=False
    )
    assert result.returncode != 0
    message = f"Method POST not allowed: uploads go to {live.repo_url('py-e2e')}legacy/"
    assert message in said(result)


def test_npm_publish_says_which_repository_does_not_exist(live, deployer, make_token, tmp_path):
    client = NodeClients(tmp_path, live.repo_url("no-such-npm"))
    client.configure(token=make_token(deployer))
    result = client.npm("publish", cwd=client.write_package("e2e-demo", "1.0.0"), check=False)
    assert result.returncode != 0
    assert "no repository named no-such-npm" in result.stderr


def test_curl_says_which_repository_does_not_exist(live, deployer, make_token, tmp_path):
    artifact = tmp_path / "app.tar.gz"
    artifact.write_bytes(b"release")
    result = Clients(tmp_path).run(
        require_tool("curl"),
        "-q",
        "--silent",
        "--fail-with-body",
        "--noproxy",
        "*",
        "-u",
        f"__token__:{make_token(deployer)}",
        "--upload-file",
        str(artifact),
        live.repo_url("no-such-files") + "app.tar.gz",
        check=False,
    )
    assert result.returncode == 22
    assert result.stdout == "404 no repository named no-such-files\n"
