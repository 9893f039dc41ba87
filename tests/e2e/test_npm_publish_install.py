"""npm publish (unscoped, scoped, --tag), then npm, yarn 1 and pnpm install from Larder."""

import time

import pytest

from repository.models import AuditEvent, Package, RenderedDocument
from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e


@pytest.fixture
def published(live, make_repository, deployer, make_token, tmp_path):
    """One public repository with `e2e-demo` 1.9.0, 1.10.0 and 2.0.0-beta.1 (tag beta),
    and `@e2e/widget` 1.0.0, all published by the npm CLI."""
    make_repository("npm-e2e", "npm")
    publisher = NodeClients(tmp_path / "publisher", live.repo_url("npm-e2e"))
    publisher.configure(token=make_token(deployer))
    publisher.publish("e2e-demo", "1.9.0")
    publisher.publish("e2e-demo", "1.10.0")
    publisher.publish("e2e-demo", "2.0.0-beta.1", "--tag", "beta")
    publisher.publish("@e2e/widget", "1.0.0", "--access", "public")
    return publisher


def test_it_publishes_with_npm_and_installs_with_npm_from_a_cold_cache(published, live, tmp_path):
    client = NodeClients(tmp_path / "npm", live.repo_url("npm-e2e"))
    assert client.npm_json("view", "e2e-demo", "dist-tags") == {
        "latest": "1.10.0",
        "beta": "2.0.0-beta.1",
    }
    assert client.npm_json("view", "e2e-demo", "versions") == ["1.9.0", "1.10.0", "2.0.0-beta.1"]
    assert AuditEvent.objects.filter(action="npm.publish").count() == 4
    assert set(Package.objects.values_list("name", flat=True)) == {"e2e-demo", "@e2e/widget"}

    again = published.npm(
        "publish", "--force", cwd=published.write_package("e2e-demo", "1.9.0"), check=False
    )
    assert again.returncode != 0
    assert "previously published" in again.stderr

    project = client.consumer("npm")
    # Audit stays on: Larder answers its endpoints 404, which must not fail the install.
    client.npm("install", "e2e-demo", "@e2e/widget", "e2e-demo-beta@npm:e2e-demo@beta", cwd=project)
    assert client.installed_version(project, "e2e-demo") == "1.10.0"
    assert client.installed_version(project, "@e2e/widget") == "1.0.0"
    assert client.installed_version(project, "e2e-demo-beta") == "2.0.0-beta.1"
    lock = (project / "package-lock.json").read_text()
    assert live.repo_url("npm-e2e") + "e2e-demo/-/e2e-demo-1.10.0.tgz" in lock
    assert "sha512-" in lock


def test_it_installs_with_yarn_1(published, live, tmp_path):
    client = NodeClients(tmp_path / "yarn", live.repo_url("npm-e2e"))
    project = client.consumer("yarn")
    (project / ".yarnrc").write_text(
        f'registry "{client.registry}"\ndisable-self-update-check true\n'
    )
    client.run(
        "yarn", "add", "e2e-demo", "@e2e/widget", "--non-interactive", "--no-progress", cwd=project
    )
    assert client.installed_version(project, "e2e-demo") == "1.10.0"
    assert client.installed_version(project, "@e2e/widget") == "1.0.0"
    assert (
        "/repository/npm-e2e/e2e-demo/-/e2e-demo-1.10.0.tgz" in (project / "yarn.lock").read_text()
    )


def test_it_installs_with_pnpm(published, live, tmp_path):
    client = NodeClients(tmp_path / "pnpm", live.repo_url("npm-e2e"))
    project = client.consumer("pnpm")
    client.run(
        "pnpm",
        "add",
        "e2e-demo",
        "@e2e/widget",
        "--store-dir",
        str(tmp_path / "pnpm-store"),
        "--config.update-notifier=false",
        "--config.manage-package-manager-versions=false",
        cwd=project,
    )
    assert client.installed_version(project, "e2e-demo") == "1.10.0"
    assert client.installed_version(project, "@e2e/widget") == "1.0.0"


def test_the_worker_renders_packuments_before_anyone_asks(published):
    """npm reads the packument right before each publish: it must not pay for the render."""
    package = Package.objects.get(name="e2e-demo")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        package.refresh_from_db()
        current = RenderedDocument.objects.filter(package=package, validity=str(package.generation))
        if set(current.values_list("key", flat=True)) == {"full", "abbreviated"}:
            return
        time.sleep(0.2)
    pytest.fail("no current packuments rendered after the last publish")
