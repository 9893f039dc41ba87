"""Every example of docs/clients/npm.md, run with npm, Yarn 1 and Yarn 4 against Larder."""

import json

import pytest

from repository.models import Package, Repository, RepositoryRole, Role, Version
from tests.e2e.docs_examples import (
    Example,
    NotRun,
    Sandbox,
    block_named,
    claimed_blocks,
    runnable,
)
from tests.generic.fixtures import fast_password_hashing  # noqa: F401 - tokens only
from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e

DOCUMENT = "npm.md"
# Berry refuses plain-http registries unless whitelisted, as the document says after its
# snippets; the live server is http.
HTTP_WHITELIST = 'unsafeHttpWhitelist:\n  - "127.0.0.1"'
NPMRC = "registry=https://larder.example/repository/NAME/\n//"
BERRY = 'npmRegistryServer: "https://larder.example/repository/NAME/"\nnpmAuth'


@pytest.fixture
def docs(live, make_repository, deployer, reader, make_token, tmp_path, request) -> Sandbox:
    """A private npm repository `docs-npm` holding docs-demo 1.0.0 and @docs/widget 1.0.0,
    published a moment ago; $NPM_TOKEN is a reader's."""
    make_repository("docs-npm", "npm", private=True)
    sandbox = Sandbox(live, tmp_path, request.getfixturevalue, values={"NAME": "docs-npm"})
    sandbox.values["PKG"] = "docs-demo"
    sandbox.env["NPM_TOKEN"] = make_token(reader)
    sandbox.deployer_token = make_token(deployer)
    publish(sandbox, "docs-demo", "1.0.0")
    publish(sandbox, "@docs/widget", "1.0.0")
    (sandbox.cwd / "package.json").write_text('{"name": "docs-consumer", "private": true}')
    return sandbox


def publish(sandbox: Sandbox, name: str, version: str) -> None:
    """Published by npm (from a client of its own, so the sandbox's config stays as is)."""
    publisher = NodeClients(sandbox.root / "publisher", sandbox.url("/repository/docs-npm/"))
    publisher.configure(token=sandbox.deployer_token)
    publisher.publish(name, version, "--access", "public")


def public(sandbox: Sandbox) -> None:
    Repository.objects.filter(name="docs-npm").update(anonymous_read=True)


def yarn(sandbox: Sandbox, package: str) -> None:
    """`yarn` on PATH is Yarn 1 (`yarn`) or Yarn 4 (`yarn-berry`)."""
    command = " ".join(NodeClients.command(package))
    wrapper = sandbox.bin / "yarn"
    wrapper.write_text(f'#!/bin/sh\nexec {command} "$@"\n')
    wrapper.chmod(0o755)


def npmrc_block() -> str:
    return block_named(DOCUMENT, EXAMPLES, NPMRC).text


def installed(sandbox: Sandbox, name: str) -> str:
    return json.loads((sandbox.cwd / "node_modules" / name / "package.json").read_text())["version"]


def required(sandbox: Sandbox, name: str) -> str:
    """The version of `name` that `yarn node` resolves under Yarn 4's Plug'n'Play."""
    code = f"console.log(require({json.dumps(name + '/package.json')}).version)"
    return sandbox.sh(f"yarn node -e '{code}'").stdout.strip()


def as_publisher(sandbox: Sandbox, name: str, version: str) -> None:
    """A package folder to publish from, with the documented .npmrc and a deployer's token."""
    sandbox.env["NPM_TOKEN"] = sandbox.deployer_token
    sandbox.write(".npmrc", npmrc_block())
    (sandbox.cwd / "package.json").write_text(json.dumps({"name": name, "version": version}))


def check_registry_url(sandbox, block):
    sandbox.sh(f"npm ping --registry={block.text.strip()}")


def check_npmrc(sandbox, block):
    sandbox.write(".npmrc", block.text)
    assert sandbox.sh("npm view PKG version").stdout.strip() == "1.0.0"


def check_scoped_npmrc(sandbox, block):
    sandbox.write(".npmrc", block.text.replace("@yourscope", "@docs"))
    assert sandbox.sh("npm view @docs/widget version").stdout.strip() == "1.0.0"


def check_publish_and_tags(sandbox, block):
    first, beta, add, remove, listing = block.text.splitlines()
    as_publisher(sandbox, "docs-demo", "1.2.3")
    sandbox.sh(first)
    (sandbox.cwd / "package.json").write_text('{"name": "docs-demo", "version": "2.0.0-beta.1"}')
    sandbox.sh(beta)
    sandbox.sh(add)
    assert "stable: 1.2.3" in sandbox.sh(listing).stdout
    sandbox.sh(remove)
    assert sandbox.sh(listing).stdout.split("\n") == [
        "beta: 2.0.0-beta.1",
        "latest: 1.2.3",
        "",
    ]


def as_maintainer(sandbox: Sandbox, name: str, version: str) -> None:
    """As as_publisher, with a maintainer's token: deprecating and unpublishing need one."""
    as_publisher(sandbox, name, version)
    maintainer = sandbox.fixture("maintainer")
    RepositoryRole.objects.create(
        user=maintainer, repository=Repository.objects.get(name="docs-npm"), role=Role.MAINTAINER
    )
    sandbox.env["NPM_TOKEN"] = sandbox.fixture("make_token")(maintainer)


def check_deprecate(sandbox, block):
    deprecate, undeprecate = block.text.splitlines()
    as_maintainer(sandbox, "docs-demo", "1.0.0")
    sandbox.sh(deprecate)
    assert (
        Version.objects.get(package__name="docs-demo", version="1.0.0").deprecated
        == "please upgrade to 2.x"
    )
    sandbox.sh(undeprecate)
    assert Version.objects.get(package__name="docs-demo", version="1.0.0").deprecated == ""


def check_unpublish(sandbox, block):
    publish(sandbox, "docs-demo", "1.2.3")
    as_maintainer(sandbox, "docs-demo", "1.2.3")
    sandbox.sh(block.text)
    assert not Package.objects.filter(name="docs-demo").exists()


def check_yarnrc(sandbox, block):
    public(sandbox)
    yarn(sandbox, "yarn")
    sandbox.write(".yarnrc", block.text)
    sandbox.sh("yarn add PKG --non-interactive")
    assert installed(sandbox, "docs-demo") == "1.0.0"


def check_always_auth(sandbox, block):
    """Yarn 1 sends no credentials for an unscoped package of a private repository unless
    always-auth is on."""
    yarn(sandbox, "yarn")
    sandbox.write(".npmrc", npmrc_block())
    refused = sandbox.sh("yarn add PKG --non-interactive", check=False)
    assert refused.returncode != 0
    sandbox.write(".npmrc", npmrc_block() + "\n" + block.text)
    sandbox.sh("yarn add PKG --non-interactive")
    assert installed(sandbox, "docs-demo") == "1.0.0"


def check_yarnrc_yml(sandbox, block):
    yarn(sandbox, "yarn-berry")
    sandbox.write(".yarnrc.yml", f"{block.text}\n{HTTP_WHITELIST}")
    sandbox.sh("yarn add PKG @docs/widget")
    assert required(sandbox, "docs-demo") == "1.0.0"
    assert required(sandbox, "@docs/widget") == "1.0.0"


def check_preapproved(sandbox, block):
    """The gate kept on: docs-demo, published a moment ago, is quarantined; @docs/* is not."""
    yarn(sandbox, "yarn-berry")
    registry = block_named(DOCUMENT, EXAMPLES, BERRY).text
    gated = registry.replace("npmMinimalAgeGate: 0\n", "").replace("\nnpmMinimalAgeGate: 0", "")
    assert "npmMinimalAgeGate" not in gated
    preapproved = block.text.replace("yourscope", "docs")
    sandbox.write(".yarnrc.yml", f"{gated}\n{preapproved}\n{HTTP_WHITELIST}")
    refused = sandbox.sh("yarn add PKG", check=False)
    assert refused.returncode != 0 and "YN0016" in refused.stdout
    sandbox.sh("yarn add @docs/widget")
    assert required(sandbox, "@docs/widget") == "1.0.0"


def check_yarn_scope(sandbox, block):
    yarn(sandbox, "yarn-berry")
    sandbox.write(".yarnrc.yml", f"{block.text.replace('yourscope', 'docs')}\n{HTTP_WHITELIST}")
    sandbox.sh("yarn add @docs/widget")
    assert required(sandbox, "@docs/widget") == "1.0.0"


EXAMPLES = [
    Example("https://larder.example/repository/NAME/", check_registry_url),
    Example(NPMRC, check_npmrc),
    Example("@yourscope:registry=", check_scoped_npmrc),
    Example(
        "npm login --registry",
        NotRun(
            "npm prompts for the user name and password; "
            "tests/e2e/test_npm_accounts.py answers them as a person would"
        ),
    ),
    Example(
        "npm token list",
        NotRun(
            "`npm token create` prompts for the password and `<id>` stands for a token's id; "
            "tests/e2e/test_npm_accounts.py runs these commands"
        ),
    ),
    Example("npm publish --tag beta", check_publish_and_tags),
    Example("npm deprecate", check_deprecate),
    Example("npm unpublish", check_unpublish),
    Example('registry "https://', check_yarnrc),
    Example("always-auth=true", check_always_auth),
    Example(BERRY, check_yarnrc_yml),
    Example("npmPreapprovedPackages", check_preapproved),
    Example("npmScopes:", check_yarn_scope),
]


def test_every_example_has_a_check():
    claimed_blocks(DOCUMENT, EXAMPLES)


@pytest.mark.parametrize("example", runnable(EXAMPLES), ids=lambda e: e.check.__name__)
def test_the_example_works(example, docs):
    example.check(docs, block_named(DOCUMENT, EXAMPLES, example.fragment))
