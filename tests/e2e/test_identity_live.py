"""Identity against live servers: failed sign-ins locked out across two separate web
servers (each with two processes) through Redis; and a full run of real clients whose logs
and error pages must not contain any secret it used."""

import base64
import re
import subprocess

import pytest
import requests

from repository.models import Repository, RepositoryRole, Role
from tests.conftest import PASSWORD
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e

WRONG_PASSWORD = "wrong-password-3f9a1c77"
WRONG_TOKEN = "larder_notARealTokenButLongEnough12345678901"


def _status(url: str, user: str, password: str) -> requests.Response:
    return requests.get(url, auth=(user, password), timeout=30)


def test_lockout_holds_across_web_servers(start_live_server, make_repository, reader):
    make_repository("locked", "pypi", private=True)
    env = {"LARDER_LOGIN_FAILURES_PER_USER": "4", "LARDER_LOGIN_LOCKOUT_SECONDS": "60"}
    first, second = start_live_server(env), start_live_server(env)
    urls = [server.repo_url("locked") + "simple/" for server in (first, second)]
    for url in urls:
        for _ in range(2):
            assert _status(url, "reader", WRONG_PASSWORD).status_code == 401
    for url in urls:
        locked = _status(url, "reader", PASSWORD)
        assert locked.status_code == 429
        assert 0 < int(locked.headers["Retry-After"]) <= 60
        assert locked.text.startswith("429 too many failed sign-ins")


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_no_secret_reaches_a_log_line_or_an_error_page(
    start_live_server, make_repository, deployer, tmp_path
):
    make_repository("team", "pypi", private=True)
    npm_repo = Repository.objects.create(name="js", format="npm", anonymous_read=False)
    RepositoryRole.objects.create(user=deployer, repository=npm_repo, role=Role.DEPLOYER)
    server = start_live_server({"LARDER_LOG_LEVEL": "DEBUG"})
    base, pages = server.url, []

    browser = requests.Session()
    failed = browser.post(
        base + "/login/",
        {
            "username": "deployer",
            "password": WRONG_PASSWORD,
            "csrfmiddlewaretoken": _csrf(browser, base + "/login/"),
        },
        headers={"Referer": base + "/login/"},
    )
    pages.append(failed.text)
    browser.post(
        base + "/login/",
        {
            "username": "deployer",
            "password": PASSWORD,
            "csrfmiddlewaretoken": _csrf(browser, base + "/login/"),
        },
        headers={"Referer": base + "/login/"},
    )
    created = browser.post(
        base + "/ui/tokens/new/",
        {
            "name": "ci",
            "setup_repository": "team",
            "csrfmiddlewaretoken": _csrf(browser, base + "/ui/tokens/"),
        },
        headers={"Referer": base + "/ui/tokens/"},
    )
    assert created.status_code == 201
    token = re.search(r"(larder_[A-Za-z0-9_-]{40,})", created.text)[1]

    clients = Clients(tmp_path)
    wheel = clients.write(make_wheel("quiet-tool", "1.0"))
    clients.twine_upload(server.repo_url("team") + "legacy/", "deployer", PASSWORD, wheel)
    index = server.repo_url("team") + "simple/"
    clients.pip_install(
        index.replace("http://", f"http://__token__:{token}@"), "quiet-tool", tmp_path / "t"
    )
    refused = clients.pip_install(
        index.replace("http://", f"http://deployer:{WRONG_PASSWORD}@"),
        "quiet-tool",
        tmp_path / "w",
        check=False,
    )
    assert refused.returncode != 0
    for auth in [f"Bearer {token}", f"Bearer {WRONG_TOKEN}"]:
        response = requests.get(
            base + "/api/v1/repositories/team/", headers={"Authorization": auth}, timeout=30
        )
        pages.append(response.text)
    pages.append(requests.get(index + "nothing/", auth=("__token__", WRONG_TOKEN), timeout=30).text)
    # npm logout puts the token in the URL path, by protocol.
    subprocess.run(
        [
            "curl",
            "-s",
            "-X",
            "DELETE",
            "-H",
            f"Authorization: Bearer {token}",
            server.repo_url("js") + f"-/user/token/{token}",
        ],
        check=True,
        capture_output=True,
    )
    pages.append(requests.get(base + f"/no-such-page/{token}", timeout=30).text)
    server.wait_until_idle()

    log = (server.data_dir / "server.log").read_text()
    assert "quiet-tool" in log  # the log is the one this run wrote
    assert token[: len("larder_") + 6] + "[redacted]" in log  # URLs with a token were masked
    basic = base64.b64encode(f"deployer:{PASSWORD}".encode()).decode()
    for secret in [
        PASSWORD,
        WRONG_PASSWORD,
        token,
        WRONG_TOKEN,
        basic,
        token[len("larder_") + 6 :],
    ]:
        assert secret not in log, secret
        for page in pages:
            assert secret not in page, secret
