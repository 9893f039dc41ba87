"""npm ping, login/whoami/logout and token list/create/revoke against a live Larder."""

import pytest

from repository.access.tokens import resolve_token
from repository.models import ApiToken
from tests.conftest import PASSWORD
from tests.npm.clients import NodeClients, nerf_dart

pytestmark = pytest.mark.e2e


@pytest.fixture
def npm(live, make_repository, deployer, tmp_path):
    make_repository("npm-accounts", "npm", private=True)
    return NodeClients(tmp_path / "npm", live.repo_url("npm-accounts"))


def saved_token(npm: NodeClients) -> str | None:
    prefix = f"{nerf_dart(npm.registry)}:_authToken="
    for line in npm.npmrc.read_text().splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix)
    return None


def test_it_logs_in_says_who_and_logs_out(npm):
    npm.npm("ping")
    anonymous = npm.npm("whoami", check=False)
    assert anonymous.returncode != 0

    # npm tries web login first; Larder declines it and npm falls back to username/password.
    code, out, err = npm.npm_prompted(
        "login", answers=[("Username:", "deployer"), ("Password:", PASSWORD)]
    )
    assert code == 0, out + err
    assert "Logged in on" in out
    token = saved_token(npm)
    assert resolve_token(token).user.username == "deployer"
    assert npm.npm("whoami").stdout.strip() == "deployer"

    npm.npm("logout")
    assert saved_token(npm) is None
    assert resolve_token(token) is None


def test_it_refuses_a_wrong_password(npm):
    code, _, err = npm.npm_prompted(
        "login", answers=[("Username:", "deployer"), ("Password:", "wrong password")]
    )
    assert code != 0
    assert "E401" in err
    assert not ApiToken.objects.exists()


def test_it_lists_creates_and_revokes_tokens(npm, deployer, make_token):
    npm.configure(token=make_token(deployer, name="workstation"))
    created = npm.npm_json(
        "token",
        "create",
        f"--password={PASSWORD}",
        "--name=ci",
        "--packages-and-scopes-permission=read-only",
        "--expires=30",
    )
    assert resolve_token(created["token"]).readonly is True

    listed = npm.npm_json("token", "list")
    assert len(listed) == 2
    assert {t["name"] for t in listed} == {"workstation", "ci"}
    new = next(t for t in listed if created["token"].startswith(t["token"]))

    npm.npm("token", "revoke", new["key"][:12])
    assert resolve_token(created["token"]) is None
    assert len(npm.npm_json("token", "list")) == 1
