"""The delete and redeploy rules, apart, with each client: npm unpublish, curl DELETE and
the API's file deletion (PyPI's only one) follow the delete policy; twine and curl
re-uploads follow the redeploy policy. Each refusal is in the client's own words."""

import pytest

from repository.models import Repository, RepositoryRole, Role, TrashEntry, Version
from tests.generic.curl import Curl
from tests.npm.clients import NodeClients
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


@pytest.fixture
def tokens(deployer, make_user, make_token):
    """A deployer's and a repository admin's (`owner`, granted per test) tokens."""
    owner = make_user("owner")
    return {"deployer": make_token(deployer), "owner": make_token(owner), "owner_user": owner}


def grant_owner(tokens, repository) -> None:
    RepositoryRole.objects.create(user=tokens["owner_user"], repository=repository, role=Role.ADMIN)


def test_npm_unpublish_needs_the_delete_right_by_default(live, make_repository, tokens, tmp_path):
    repository = make_repository("npm-rules", "npm")
    grant_owner(tokens, repository)
    npm = NodeClients(tmp_path / "npm", live.repo_url("npm-rules"))
    npm.configure(token=tokens["deployer"])
    for version in ("1.0.0", "1.1.0"):
        npm.publish("rules-pkg", version)
    refused = npm.npm("unpublish", "rules-pkg@1.1.0", check=False)
    assert refused.returncode != 0
    assert "needs the delete right" in refused.stderr

    npm.configure(token=tokens["owner"])
    npm.npm("unpublish", "rules-pkg@1.1.0")
    assert npm.npm_json("view", "rules-pkg", "versions", "--prefer-online") == ["1.0.0"]
    assert TrashEntry.objects.get().version == "1.1.0"

    Repository.objects.filter(pk=repository.pk).update(delete_policy="forbidden")
    forbidden = npm.npm("unpublish", "rules-pkg@1.0.0", "--force", check=False)
    assert forbidden.returncode != 0
    assert "forbids deletions" in forbidden.stderr


def test_curl_delete_follows_the_delete_policy(live, make_repository, tokens, tmp_path):
    repository = make_repository("files-rules", "generic")
    grant_owner(tokens, repository)
    curl = Curl(tmp_path / "curl")
    url = live.repo_url("files-rules") + "build.tgz"
    curl("-u", f"__token__:{tokens['deployer']}", "-T", "-", url, stdin=b"build")
    refused = curl("-u", f"__token__:{tokens['deployer']}", "-X", "DELETE", url)
    assert refused.status == 403
    assert refused.text == (
        "403 deleting in repository files-rules needs the delete right "
        "(the repository's maintainers and admins have it)\n"
    )
    assert curl("-u", f"__token__:{tokens['owner']}", "-X", "DELETE", url).status == 204
    assert curl(url).status == 404

    Repository.objects.filter(pk=repository.pk).update(delete_policy="deployers")
    curl("-u", f"__token__:{tokens['deployer']}", "-T", "-", url, stdin=b"again")
    assert curl("-u", f"__token__:{tokens['deployer']}", "-X", "DELETE", url).status == 204


def test_a_pypi_file_is_deleted_through_the_api_and_pip_no_longer_finds_it(
    live, make_repository, tokens, tmp_path
):
    repository = make_repository("py-rules", "pypi")
    grant_owner(tokens, repository)
    clients = Clients(tmp_path)
    legacy = live.repo_url("py-rules") + "legacy/"
    for version in ("1.0", "1.1"):
        wheel = clients.write(make_wheel("Rules-Pkg", version))
        clients.twine_upload(legacy, "__token__", tokens["deployer"], wheel)
    curl = Curl(tmp_path / "curl")
    api = f"{live.url}/api/v1/repositories/py-rules/packages/rules-pkg/versions/1.1/"
    refused = curl("-H", f"Authorization: Bearer {tokens['deployer']}", "-X", "DELETE", api)
    assert refused.status == 403
    assert "needs the delete right" in refused.json()["detail"]
    deleted = curl("-H", f"Authorization: Bearer {tokens['owner']}", "-X", "DELETE", api)
    assert deleted.status == 204

    index = live.repo_url("py-rules") + "simple/"
    target = clients.home / "target"
    clients.pip_install(index, "rules-pkg", target)
    assert (target / "rules_pkg-1.0.dist-info").is_dir()
    missing = clients.pip_install(index, "rules-pkg==1.1", tmp_path / "t2", check=False)
    assert missing.returncode != 0
    assert list(Version.objects.values_list("version", flat=True)) == ["1.0"]


def test_redeploys_follow_the_redeploy_policy_with_twine_and_curl(
    live, make_repository, tokens, tmp_path
):
    make_repository("py-redeploy", "pypi")
    make_repository("files-redeploy", "generic", redeploy_policy="allowed")
    clients = Clients(tmp_path)
    legacy = live.repo_url("py-redeploy") + "legacy/"
    clients.twine_upload(
        legacy, "__token__", tokens["deployer"], clients.write(make_wheel("Re", "1.0"))
    )
    other = clients.write(make_wheel("Re", "1.0", summary="other bytes"), "other")
    refused = clients.twine_upload(legacy, "__token__", tokens["deployer"], other, check=False)
    assert "File already exists" in refused.stdout + refused.stderr

    curl = Curl(tmp_path / "curl")
    url = live.repo_url("files-redeploy") + "latest.tgz"
    auth = f"__token__:{tokens['deployer']}"
    assert curl("-u", auth, "-T", "-", url, stdin=b"one").status == 201
    assert curl("-u", auth, "-T", "-", url, stdin=b"two").status == 200
    Repository.objects.filter(name="files-redeploy").update(redeploy_policy="forbidden")
    conflict = curl("-u", auth, "-T", "-", url, stdin=b"three")
    assert conflict.status == 409
    assert "does not allow redeploys" in conflict.text
