"""Yarn 4 (berry) installs from Larder with exactly the `.yarnrc.yml` the repository page shows.

Yarn 4 quarantines versions published less than a day ago (`npmMinimalAgeGate`), which in a
hosted repository is every version just published: the page's snippets must get past it.
"""

import re
import urllib.request
from html import unescape

import pytest

from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e


@pytest.fixture
def berry(live, make_repository, deployer, reader, make_token, tmp_path):
    """A private repository with e2e-demo 1.9.0 and 1.10.0 and @e2e/widget 1.0.0, all
    published a moment ago, and a Yarn 4 client holding a reader's token."""
    make_repository("npm-berry", "npm", private=True)
    publisher = NodeClients(tmp_path / "publisher", live.repo_url("npm-berry"))
    publisher.configure(token=make_token(deployer))
    publisher.publish("e2e-demo", "1.9.0")
    publisher.publish("e2e-demo", "1.10.0")
    publisher.publish("@e2e/widget", "1.0.0", "--access", "public")
    client = NodeClients(tmp_path / "yarn4", live.repo_url("npm-berry"))
    client.env["NPM_TOKEN"] = make_token(reader, readonly=True)
    return client


def page_snippet(live, client: NodeClients, name: str) -> str:
    """The `<pre data-snippet=NAME>` text of the repository's page, as a reader copies it."""
    request = urllib.request.Request(
        f"{live.url}/ui/repositories/npm-berry/",
        headers={"Authorization": f"Bearer {client.env['NPM_TOKEN']}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        html = response.read().decode()
    match = re.search(rf'<pre data-snippet="{name}"><code>(.*?)</code></pre>', html, re.S)
    assert match, f"the page shows no {name} snippet"
    return unescape(match.group(1))


def yarn_add(client: NodeClients, yarnrc: str, *packages: str, check: bool = True):
    project = client.consumer("berry")
    (project / ".yarnrc.yml").write_text(yarnrc + "\n")
    result = client.run("yarn-berry", "add", *packages, cwd=project, check=check)
    return project, result


def required_version(client: NodeClients, project, name: str) -> str:
    """What `require(name)` gives under Yarn's Plug'n'Play: each test package exports its
    version."""
    code = f"console.log(require({name!r}))"
    return client.run("yarn-berry", "node", "-e", code, cwd=project).stdout.strip()


def test_it_installs_with_the_page_snippet(live, berry):
    assert berry.run("yarn-berry", "--version").stdout.startswith("4.")
    snippet = page_snippet(live, berry, "yarn-berry")
    project, _ = yarn_add(berry, snippet, "e2e-demo", "@e2e/widget")
    assert required_version(berry, project, "e2e-demo") == "1.10.0"
    assert required_version(berry, project, "@e2e/widget") == "1.0.0"
    assert '"e2e-demo@npm:1.10.0"' in (project / "yarn.lock").read_text()


def test_it_takes_one_scope_with_the_page_snippet(live, berry):
    snippet = page_snippet(live, berry, "yarn-berry-scope").replace("yourscope", "e2e")
    project, _ = yarn_add(berry, snippet, "@e2e/widget")
    assert required_version(berry, project, "@e2e/widget") == "1.0.0"


def test_without_the_gate_line_only_preapproved_packages_install(live, berry):
    """The gate is real: left on, it quarantines e2e-demo; the preapproved list lets
    @e2e/* through."""
    gated = page_snippet(live, berry, "yarn-berry").replace("npmMinimalAgeGate: 0\n", "")
    assert "npmMinimalAgeGate" not in gated
    preapproved = page_snippet(live, berry, "yarn-berry-preapproved").replace("yourscope", "e2e")
    yarnrc = f"{gated}\n{preapproved}"

    _, refused = yarn_add(berry, yarnrc, "e2e-demo", check=False)
    assert refused.returncode != 0
    assert "YN0016" in refused.stdout and "quarantine" in refused.stdout

    project, _ = yarn_add(berry, yarnrc, "@e2e/widget")
    assert required_version(berry, project, "@e2e/widget") == "1.0.0"
