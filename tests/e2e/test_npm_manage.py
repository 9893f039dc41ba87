"""npm dist-tag, deprecate/undeprecate, unpublish and search against a live Larder."""

import pytest

from repository.models import Package, Repository, Version
from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e


@pytest.fixture
def npm(live, make_repository, maintainer, make_token, tmp_path):
    """A maintainer's npm with `e2e-tools` 1.0.0, 1.1.0 and 2.0.0 published."""
    make_repository("npm-manage", "npm")
    client = NodeClients(tmp_path / "npm", live.repo_url("npm-manage"))
    client.configure(token=make_token(maintainer))
    for version in ("1.0.0", "1.1.0", "2.0.0"):
        client.publish("e2e-tools", version, description="tools for e2e", keywords=["larder"])
    return client


def test_it_manages_dist_tags(npm):
    assert npm.npm("dist-tag", "add", "e2e-tools@1.1.0", "stable").stdout.strip() == (
        "+stable: e2e-tools@1.1.0"
    )
    listed = npm.npm("dist-tag", "ls", "e2e-tools").stdout.split("\n")
    assert "latest: 2.0.0" in listed and "stable: 1.1.0" in listed
    npm.npm("dist-tag", "rm", "e2e-tools", "stable")
    assert npm.npm("dist-tag", "ls", "e2e-tools").stdout.strip() == "latest: 2.0.0"


def test_it_deprecates_and_undeprecates(npm):
    npm.npm("deprecate", "e2e-tools@<2", "upgrade to 2")
    assert set(Version.objects.exclude(deprecated="").values_list("version", flat=True)) == {
        "1.0.0",
        "1.1.0",
    }
    project = npm.consumer("deprecated")
    installed = npm.npm("install", "e2e-tools@1.0.0", "--prefer-online", cwd=project)
    assert "upgrade to 2" in installed.stderr
    npm.npm("undeprecate", "e2e-tools@1.0.0")
    assert Version.objects.get(version="1.0.0").deprecated == ""
    assert Version.objects.get(version="1.1.0").deprecated == "upgrade to 2"


def test_it_unpublishes_a_version_then_the_package(npm):
    npm.npm("unpublish", "e2e-tools@2.0.0")
    assert npm.npm_json("view", "e2e-tools", "versions", "--prefer-online") == ["1.0.0", "1.1.0"]
    assert npm.npm_json("view", "e2e-tools", "dist-tags.latest", "--prefer-online") == "1.1.0"
    npm.npm("unpublish", "e2e-tools", "--force")
    assert not Package.objects.exists()
    gone = npm.npm("view", "e2e-tools", "--prefer-online", check=False)
    assert gone.returncode != 0
    assert "E404" in gone.stderr


def test_it_refuses_unpublish_where_deletions_are_forbidden(npm):
    Repository.objects.update(delete_policy="forbidden")
    refused = npm.npm("unpublish", "e2e-tools@2.0.0", check=False)
    assert refused.returncode != 0
    assert "forbids deletions" in refused.stderr
    assert Version.objects.count() == 3


def test_it_searches(npm):
    found = npm.npm_json("search", "e2e-tools")
    assert [(p["name"], p["version"]) for p in found] == [("e2e-tools", "2.0.0")]
    assert npm.npm_json("search", "larder")[0]["description"] == "tools for e2e"
