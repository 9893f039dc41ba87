"""Group repositories with the real clients: one URL to install from and publish to."""

import time
import urllib.error
import urllib.request

import pytest

from repository.models import Asset, Repository
from repository.services.repositories import create_repository, update_repository
from tests.npm.clients import NodeClients
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


@pytest.fixture
def python_group(live, make_repository, deployer, make_token, tmp_path):
    """`team` (hosted, the write member) and `vendored` (hosted), grouped as `py-all`."""
    make_repository("team", "pypi")
    make_repository("vendored", "pypi")
    create_repository(
        "py-all",
        "pypi",
        kind="group",
        settings={"members": ["team", "vendored"], "write_to": "team"},
    )
    clients = Clients(tmp_path)
    token = make_token(deployer)
    vendored = clients.write(make_wheel("Vendored-Lib", "2.0"), "vendored")
    clients.twine_upload(live.repo_url("vendored") + "legacy/", "__token__", token, vendored)
    return clients, token, live.repo_url("py-all")


def test_pip_and_uv_install_from_every_member_and_twine_publishes_through_the_group(
    python_group,
):
    clients, token, group = python_group
    ours = clients.write(make_wheel("Team-Tool", "1.0"), "ours")
    clients.twine_upload(group + "legacy/", "__token__", token, ours)
    assert Asset.objects.get(filename=ours.name).repository.name == "team"

    target = clients.home / "pip-target"
    clients.pip_install(group + "simple/", "team-tool", target)
    clients.pip_install(group + "simple/", "vendored-lib", target)
    assert (target / "team_tool" / "__init__.py").is_file()
    assert (target / "vendored_lib" / "__init__.py").is_file()
    site_packages = clients.uv_install(group + "simple/", "vendored-lib")
    assert (site_packages / "vendored_lib" / "__init__.py").is_file()


def test_a_version_published_to_a_member_installs_through_the_group_at_once(python_group, live):
    clients, token, group = python_group
    clients.pip_install(group + "simple/", "vendored-lib", clients.home / "before")
    newer = clients.write(make_wheel("Vendored-Lib", "3.0"), "newer")
    clients.twine_upload(live.repo_url("vendored") + "legacy/", "__token__", token, newer)
    after = clients.home / "after"
    clients.pip_install(group + "simple/", "vendored-lib", after)
    assert 'VERSION = "3.0"' in (after / "vendored_lib" / "__init__.py").read_text()


def test_npm_publishes_through_the_group_and_installs_from_every_member(
    live, make_repository, deployer, make_token, tmp_path
):
    make_repository("npm-team", "npm")
    make_repository("npm-vendored", "npm")
    create_repository(
        "npm-all",
        "npm",
        kind="group",
        settings={"members": ["npm-team", "npm-vendored"], "write_to": "npm-team"},
    )
    token = make_token(deployer)
    vendored = NodeClients(tmp_path / "vendored", live.repo_url("npm-vendored"))
    vendored.configure(token)
    vendored.publish("left-pad-ish", "1.2.0")
    clients = NodeClients(tmp_path / "group", live.repo_url("npm-all"))
    clients.configure(token)
    clients.publish("@team/widget", "1.0.0")
    assert Asset.objects.get(filename="widget-1.0.0.tgz").repository.name == "npm-team"

    project = clients.consumer("app")
    clients.npm("install", "left-pad-ish", "@team/widget", cwd=project)
    assert clients.installed_version(project, "left-pad-ish") == "1.2.0"
    assert clients.installed_version(project, "@team/widget") == "1.0.0"
    lock = (project / "package-lock.json").read_text()
    assert live.repo_url("npm-all") + "left-pad-ish/-/left-pad-ish-1.2.0.tgz" in lock


def test_npm_dist_tags_and_deprecations_through_the_group_change_the_write_member(
    live, make_repository, maintainer, make_token, tmp_path
):
    """With the write member's grants: deprecating needs its maintainer role."""
    from repository.models import Tag, Version

    make_repository("npm-team", "npm")
    make_repository("npm-vendored", "npm")
    create_repository(
        "npm-all",
        "npm",
        kind="group",
        settings={"members": ["npm-team", "npm-vendored"], "write_to": "npm-team"},
    )
    clients = NodeClients(tmp_path / "group", live.repo_url("npm-all"))
    clients.configure(make_token(maintainer))
    clients.publish("team-lib", "1.0.0")
    clients.publish("team-lib", "1.1.0")
    clients.npm("dist-tag", "add", "team-lib@1.0.0", "stable")
    assert Tag.objects.get(name="stable").version.version == "1.0.0"
    assert clients.npm_json("view", "team-lib", "dist-tags") == {
        "latest": "1.1.0",
        "stable": "1.0.0",
    }
    clients.npm("deprecate", "team-lib@1.0.0", "use 1.1")
    assert Version.objects.get(version="1.0.0").deprecated == "use 1.1"


@pytest.fixture
def hosted_and_proxy(live, make_repository, deployer, make_token, pypiserver, tmp_path):
    """`corp` (hosted, holding corp-utils 1.0) and `upstream` (a proxy of pypiserver, where
    someone published corp-utils 99.0), grouped as `py-all`, which claims `corp-*`."""
    make_repository("corp", "pypi")
    create_repository(
        "upstream", "pypi", kind="proxy", settings={"proxy": {"upstream": pypiserver.index_url}}
    )
    create_repository(
        "py-all",
        "pypi",
        kind="group",
        settings={"members": ["corp", "upstream"], "write_to": "corp", "claims": ["corp-*"]},
    )
    clients = Clients(tmp_path)
    pypiserver.seed(clients.write(make_wheel("Corp-Utils", "99.0"), "public"))
    ours = clients.write(make_wheel("Corp-Utils", "1.0"), "ours")
    token = make_token(deployer)
    clients.twine_upload(live.repo_url("py-all") + "legacy/", "__token__", token, ours)
    return clients, live.repo_url("py-all") + "simple/"


def test_pip_installs_hosted_and_proxied_packages_through_one_group(hosted_and_proxy, pypiserver):
    clients, index = hosted_and_proxy
    target = clients.home / "target"
    clients.pip_install(index, "six==1.17.0", target)
    clients.pip_install(index, "corp-utils", target)
    assert (target / "six.py").is_file()
    assert 'VERSION = "1.0"' in (target / "corp_utils" / "__init__.py").read_text()
    assert pypiserver.front.requests("/simple/six/") == 1


def test_the_shield_keeps_the_upstreams_higher_version_out_and_never_asks_for_claims(
    hosted_and_proxy, pypiserver
):
    clients, index = hosted_and_proxy
    site_packages = clients.uv_install(index, "corp-utils")
    assert 'VERSION = "1.0"' in (site_packages / "corp_utils" / "__init__.py").read_text()
    refused = clients.pip_install(index, "corp-new-thing", clients.home / "t", check=False)
    assert refused.returncode != 0
    assert pypiserver.front.requests("/simple/corp-utils/") == 0
    assert pypiserver.front.requests("/simple/corp-new-thing/") == 0


def test_a_file_url_of_a_claimed_name_is_never_asked_of_the_proxy(hosted_and_proxy, pypiserver):
    clients, index = hosted_and_proxy
    group_root = index.removesuffix("simple/")
    url = group_root + "files/corp-secret/1.0/corp_secret-1.0-py3-none-any.whl"
    refused = clients.run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url)
    assert refused.stdout == "404"
    assert pypiserver.front.requests() == 0


def test_npm_installs_hosted_and_proxied_packages_through_one_group_never_asking_for_claims(
    live, make_repository, deployer, make_token, verdaccio, tmp_path
):
    make_repository("npm-corp", "npm")
    create_repository(
        "npm-up", "npm", kind="proxy", settings={"proxy": {"upstream": verdaccio.registry}}
    )
    create_repository(
        "npm-one",
        "npm",
        kind="group",
        settings={"members": ["npm-corp", "npm-up"], "write_to": "npm-corp", "claims": ["@corp/*"]},
    )
    clients = NodeClients(tmp_path, live.repo_url("npm-one"))
    clients.configure(make_token(deployer))
    clients.publish("@corp/widget", "1.0.0")
    project = clients.consumer("app")
    clients.npm("install", "ms@2.1.3", "@corp/widget", cwd=project)
    assert clients.installed_version(project, "ms") == "2.1.3"
    assert clients.installed_version(project, "@corp/widget") == "1.0.0"
    refused = clients.npm("view", "@corp/not-published", "version", check=False)
    assert refused.returncode != 0
    assert verdaccio.front.requests("/ms") == 1
    assert not [path for path in verdaccio.front.paths() if "corp" in path]


def test_a_proxy_members_refresh_shows_through_the_group_at_once(live, pypiserver, tmp_path):
    clients = Clients(tmp_path)
    pypiserver.seed(clients.write(make_wheel("Group-Fresh", "1.0"), "v1"))
    create_repository(
        "up",
        "pypi",
        kind="proxy",
        settings={"proxy": {"upstream": pypiserver.index_url, "metadata_ttl": 1}},
    )
    create_repository("py-up-group", "pypi", kind="group", settings={"members": ["up"]})
    page = live.repo_url("py-up-group") + "simple/group-fresh/"
    assert b"group_fresh-1.0" in urllib.request.urlopen(page).read()
    pypiserver.seed(clients.write(make_wheel("Group-Fresh", "2.0"), "v2"))
    time.sleep(1.5)
    urllib.request.urlopen(page).read()  # the member's copy is stale: refreshed behind it
    live.wait_until_idle()
    assert b"group_fresh-2.0" in urllib.request.urlopen(page).read()


def test_a_change_of_members_holds_on_the_next_request_on_every_web_process(python_group, live):
    _, _, group = python_group
    page = group + "simple/vendored-lib/"
    for _ in range(6):  # new connections, spread over both web processes
        assert urllib.request.urlopen(page).status == 200
    update_repository(
        Repository.objects.get(name="py-all"), settings={"members": ["team"], "write_to": "team"}
    )
    for _ in range(6):
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(page)
        assert gone.value.code == 404
