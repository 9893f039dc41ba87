"""The real clients against a Larder signing in through a real slapd: twine, pip, npm
(`_auth` and `npm login`) and curl with directory passwords; a directory group's grant; a
user dropped by the directory refused at once."""

import base64
import subprocess

import pytest
from django.contrib.auth.models import Group

from repository.models import Repository, RepositoryRole, Role
from tests.ldap.conftest import directory, restore_membership  # noqa: F401 - fixtures
from tests.ldap.directory import password_of
from tests.npm.clients import NodeClients, nerf_dart
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(start_live_server, directory):  # noqa: F811 - the fixture imported above
    """A Larder using the directory; its larder-users group deploys to two private repos."""
    users = Group.objects.create(name="larder-users")
    for name, fmt in [("py-team", "pypi"), ("js-team", "npm")]:
        repository = Repository.objects.create(name=name, format=fmt, anonymous_read=False)
        RepositoryRole.objects.create(group=users, repository=repository, role=Role.DEPLOYER)
    return start_live_server(directory.settings_env())


def test_twine_and_pip_use_directory_passwords(server, tmp_path, directory, restore_membership):  # noqa: F811
    clients = Clients(tmp_path)
    wheel = clients.write(make_wheel("team-tool", "1.0"))
    clients.twine_upload(
        server.repo_url("py-team") + "legacy/", "alice", password_of("alice"), wheel
    )

    index = server.repo_url("py-team") + "simple/"
    bob = index.replace("http://", f"http://bob:{password_of('bob')}@")
    clients.pip_install(bob, "team-tool", tmp_path / "bob")
    assert (tmp_path / "bob" / "team_tool").is_dir()

    wrong = index.replace("http://", "http://bob:wrong@")
    refused = clients.pip_install(wrong, "team-tool", tmp_path / "wrong", check=False)
    assert refused.returncode != 0

    directory.remove_member("larder-users", "bob")
    restore_membership.append(("larder-users", "bob"))
    dropped = clients.pip_install(bob, "team-tool", tmp_path / "dropped", check=False)
    assert dropped.returncode != 0
    assert "401" in dropped.stdout + dropped.stderr


def test_npm_publishes_with_a_directory_password(server, tmp_path):
    npm = NodeClients(tmp_path / "npm", server.repo_url("js-team"))
    basic = base64.b64encode(f"alice:{password_of('alice')}".encode()).decode()
    npm.npmrc.write_text(f"registry={npm.registry}\n{nerf_dart(npm.registry)}:_auth={basic}\n")
    npm.publish("team-widget", "1.0.0")
    assert npm.npm_json("view", "team-widget", "version") == "1.0.0"


def test_npm_login_takes_a_directory_password(server, tmp_path):
    npm = NodeClients(tmp_path / "npm", server.repo_url("js-team"))
    code, out, err = npm.npm_prompted(
        "login", answers=[("Username:", "bob"), ("Password:", password_of("bob"))]
    )
    assert code == 0, out + err
    assert npm.npm("whoami").stdout.strip() == "bob"


def _curl_status(url: str, user: str) -> str:
    result = subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-u",
            f"{user}:{password_of(user)}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_curl_uses_a_directory_password(server):
    url = server.repo_url("py-team") + "simple/"
    assert _curl_status(url, "alice") == "200"
    assert _curl_status(url, "carol") == "401"  # carol is not in the required group
