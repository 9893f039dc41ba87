"""Real tarballs from the public registry, published with npm and installed back."""

import tarfile

import pytest

from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e


def test_it_publishes_a_tarball_whose_folder_is_not_package(
    live, make_repository, deployer, make_token, tmp_path
):
    """@types/ms@0.7.34 keeps its files under ms/, as the public registry serves it."""
    make_repository("npm-real", "npm")
    client = NodeClients(tmp_path, live.repo_url("npm-real"))
    tarball = client.pack_from_public_registry("@types/ms@0.7.34")
    with tarfile.open(tarball) as archive:
        assert "ms/package.json" in archive.getnames()

    client.configure(token=make_token(deployer))
    client.npm("publish", str(tarball), "--access", "public")

    assert client.npm_json("view", "@types/ms", "version") == "0.7.34"
    project = client.consumer("npm")
    client.npm("install", "@types/ms", cwd=project)
    assert client.installed_version(project, "@types/ms") == "0.7.34"
    assert (project / "node_modules/@types/ms/index.d.ts").exists()
