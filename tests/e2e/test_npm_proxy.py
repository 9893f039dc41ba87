"""npm proxy repositories with the real clients, against Verdaccio on loopback (seeded with
is-number 7.0.0, ms 2.1.2 and 2.1.3, @types/ms 0.7.34)."""

import json
import shutil
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from repository.models import Asset
from repository.services.repositories import create_repository
from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e

ABBREVIATED = "application/vnd.npm.install-v1+json"


def proxy_of(name: str, upstream: str, **options):
    return create_repository(
        name, "npm", kind="proxy", settings={"proxy": {"upstream": upstream, **options}}
    )


def get_json(url: str, accept: str = "application/json") -> tuple[str, dict]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request) as response:
        return response.headers["Content-Type"], json.load(response)


def get_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def install(client: NodeClients, tool: str, project, *names: str, check: bool = True):
    """`tool` adding `names` to `project`, with this client's own caches."""
    if tool == "npm":
        return client.npm("install", "--fetch-retries=0", *names, cwd=project, check=check)
    if tool == "yarn":
        (project / ".yarnrc").write_text(
            f'registry "{client.registry}"\ndisable-self-update-check true\n'
        )
        return client.run(
            "yarn", "add", *names, "--non-interactive", "--no-progress", cwd=project, check=check
        )
    return client.run(
        "pnpm", "add", *names,
        "--store-dir", str(client.root / "pnpm-store"),
        "--config.update-notifier=false",
        "--config.manage-package-manager-versions=false",
        cwd=project, check=check,
    )  # fmt: skip


@pytest.mark.parametrize("tool", ["npm", "yarn", "pnpm"])
def test_clients_install_from_a_cold_cache_then_with_the_upstream_stopped(
    live, verdaccio, tmp_path, tool
):
    proxy_of("npm-proxy", verdaccio.registry)
    cold = NodeClients(tmp_path / "cold", live.repo_url("npm-proxy"))
    project = cold.consumer("cold")
    install(cold, tool, project, "is-number", "ms", "@types/ms")
    assert cold.installed_version(project, "ms") == "2.1.3"
    assert cold.installed_version(project, "@types/ms") == "0.7.34"
    assert verdaccio.front.requests("/ms/-/ms-2.1.3.tgz") == 1
    tarballs = Asset.objects.filter(repository__name="npm-proxy", blob__isnull=False)
    assert set(tarballs.values_list("filename", flat=True)) == {
        "is-number-7.0.0.tgz",
        "ms-2.1.3.tgz",
        "ms-0.7.34.tgz",
    }

    verdaccio.front.stop()
    warm = NodeClients(tmp_path / "warm", live.repo_url("npm-proxy"))
    project = warm.consumer("warm")
    install(warm, tool, project, "is-number", "ms", "@types/ms")
    assert warm.installed_version(project, "is-number") == "7.0.0"
    assert warm.installed_version(project, "ms") == "2.1.3"
    assert warm.installed_version(project, "@types/ms") == "0.7.34"


def test_npm_ci_from_a_lockfile_then_with_the_upstream_stopped(live, verdaccio, tmp_path):
    proxy_of("npm-proxy", verdaccio.registry)
    first = NodeClients(tmp_path / "first", live.repo_url("npm-proxy"))
    project = first.consumer("locked")
    first.npm("install", "ms@2.1.2", "@types/ms", cwd=project)
    lock = (project / "package-lock.json").read_text()
    assert live.repo_url("npm-proxy") + "ms/-/ms-2.1.2.tgz" in lock

    verdaccio.front.stop()
    again = NodeClients(tmp_path / "again", live.repo_url("npm-proxy"))
    shutil.rmtree(project / "node_modules")
    again.npm("ci", cwd=project)
    assert again.installed_version(project, "ms") == "2.1.2"
    assert again.installed_version(project, "@types/ms") == "0.7.34"


def test_npm_ci_from_a_lockfile_fills_a_cold_proxy_from_its_tarballs(live, verdaccio, tmp_path):
    """npm ci asks for the locked tarballs only, never a packument: the proxy mirrors each
    one's packument itself on the first miss."""
    proxy_of("npm-proxy", verdaccio.registry)
    proxy_of("npm-cold", verdaccio.registry)
    first = NodeClients(tmp_path / "first", live.repo_url("npm-proxy"))
    project = first.consumer("locked")
    first.npm("install", "ms@2.1.2", "@types/ms", cwd=project)
    lock = project / "package-lock.json"
    lock.write_text(lock.read_text().replace("/repository/npm-proxy/", "/repository/npm-cold/"))
    shutil.rmtree(project / "node_modules")

    fresh = NodeClients(tmp_path / "fresh", live.repo_url("npm-cold"))
    fresh.npm("ci", cwd=project)
    assert fresh.installed_version(project, "ms") == "2.1.2"
    assert fresh.installed_version(project, "@types/ms") == "0.7.34"
    cached = Asset.objects.filter(repository__name="npm-cold", blob__isnull=False)
    assert set(cached.values_list("path", flat=True)) == {
        "ms/-/ms-2.1.2.tgz",
        "@types/ms/-/ms-0.7.34.tgz",
    }


def test_full_and_abbreviated_packuments_keep_the_upstreams_facts_on_larder_urls(live, verdaccio):
    proxy_of("npm-proxy", verdaccio.registry)
    _, upstream = get_json(verdaccio.backend_url + "/ms")  # behind the front: not counted
    content_type, full = get_json(live.repo_url("npm-proxy") + "ms")
    assert content_type.startswith("application/json")
    assert set(full["versions"]) == {"2.1.2", "2.1.3"}
    assert full["dist-tags"] == {"latest": "2.1.3"}
    assert full["description"] == "Tiny millisecond conversion utility"
    assert full["readme"].startswith("# ms")
    for version in ("2.1.2", "2.1.3"):
        assert full["time"][version] == upstream["time"][version]
        dist, theirs = full["versions"][version]["dist"], upstream["versions"][version]["dist"]
        assert dist["tarball"] == live.repo_url("npm-proxy") + f"ms/-/ms-{version}.tgz"
        assert (dist["integrity"], dist["shasum"]) == (theirs["integrity"], theirs["shasum"])

    content_type, abbreviated = get_json(live.repo_url("npm-proxy") + "ms", ABBREVIATED)
    assert content_type.startswith(ABBREVIATED)
    assert abbreviated["dist-tags"] == {"latest": "2.1.3"}
    assert abbreviated["time"]["2.1.2"] == upstream["time"]["2.1.2"]
    manifest = abbreviated["versions"]["2.1.2"]
    assert "readme" not in manifest and "scripts" not in manifest
    assert manifest["dist"]["tarball"] == live.repo_url("npm-proxy") + "ms/-/ms-2.1.2.tgz"
    assert verdaccio.front.requests("/ms") == 1, "one upstream fetch serves both documents"


def test_a_scoped_package_answers_in_every_url_form(live, verdaccio):
    proxy_of("npm-proxy", verdaccio.registry)
    base = live.repo_url("npm-proxy")
    for form in ("@types%2fms", "@types%2Fms", "@types/ms"):
        _, packument = get_json(base + form)
        assert packument["name"] == "@types/ms"
        assert packument["versions"]["0.7.34"]["dist"]["tarball"] == (
            base + "@types/ms/-/ms-0.7.34.tgz"
        )
    assert verdaccio.front.requests("/@types%2Fms") == 1
    tarball = get_bytes(base + "@types/ms/-/ms-0.7.34.tgz")
    assert get_bytes(base + "@types/ms/-/@types/ms-0.7.34.tgz") == tarball
    assert get_bytes(base + "@types%2fms/-/ms-0.7.34.tgz") == tarball
    assert tarball == get_bytes(verdaccio.backend_url + "/@types/ms/-/ms-0.7.34.tgz")
    assert verdaccio.front.requests("/@types/ms/-/ms-0.7.34.tgz") == 1


def test_a_corrupted_tarball_is_refused_and_not_cached_then_served_once_right(
    live, verdaccio, tmp_path
):
    proxy_of("npm-proxy", verdaccio.registry)
    verdaccio.front.fault(path="*.tgz", corrupt=True)
    client = NodeClients(tmp_path / "corrupt", live.repo_url("npm-proxy"))
    failed = install(client, "npm", client.consumer("corrupt"), "ms", check=False)
    assert failed.returncode != 0
    assert not (tmp_path / "corrupt/consumers/corrupt/node_modules/ms").exists()
    tarball = Asset.objects.get(repository__name="npm-proxy", path="ms/-/ms-2.1.3.tgz")
    assert tarball.blob_id is None

    verdaccio.front.clear_faults()
    client = NodeClients(tmp_path / "right", live.repo_url("npm-proxy"))
    project = client.consumer("right")
    install(client, "npm", project, "ms")
    assert client.installed_version(project, "ms") == "2.1.3"
    tarball.refresh_from_db()
    assert tarball.blob_id is not None


def serve_ms_with_an_old_first_version(verdaccio) -> None:
    """Verdaccio's packument of ms, 2.1.2 published a month ago and 2.1.3 just now."""
    _, packument = get_json(verdaccio.backend_url + "/ms")
    month_ago = datetime.now(UTC) - timedelta(days=30)
    packument["time"]["2.1.2"] = month_ago.isoformat().replace("+00:00", "Z")
    verdaccio.front.fault(
        path="/ms",
        status=200,
        body=json.dumps(packument).encode(),
        headers=(("Content-Type", "application/json"),),
    )


def test_cooldown_holds_back_the_newest_version_and_latest_moves_to_the_older(
    live, verdaccio, tmp_path
):
    proxy_of("npm-cooled", verdaccio.registry, cooldown_days=7)
    serve_ms_with_an_old_first_version(verdaccio)
    base = live.repo_url("npm-cooled")
    _, full = get_json(base + "ms")
    assert list(full["versions"]) == ["2.1.2"]
    assert full["dist-tags"] == {"latest": "2.1.2"}
    assert "2.1.3" not in full["time"]
    _, abbreviated = get_json(base + "ms", ABBREVIATED)
    assert abbreviated["dist-tags"] == {"latest": "2.1.2"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        get_bytes(base + "ms/-/ms-2.1.3.tgz")
    assert refused.value.code == 404

    client = NodeClients(tmp_path / "cooled", base)
    project = client.consumer("cooled")
    install(client, "npm", project, "ms")
    assert client.installed_version(project, "ms") == "2.1.2"
    assert verdaccio.front.requests("/ms/-/ms-2.1.3.tgz") == 0


def test_a_package_exempt_from_cooldown_is_not_held_back(live, verdaccio):
    proxy_of("npm-cooled", verdaccio.registry, cooldown_days=7, cooldown_exempt=["ms"])
    serve_ms_with_an_old_first_version(verdaccio)
    base = live.repo_url("npm-cooled")
    _, full = get_json(base + "ms")
    assert set(full["versions"]) == {"2.1.2", "2.1.3"}
    assert full["dist-tags"] == {"latest": "2.1.3"}
    _, held = get_json(base + "is-number")  # published just now, and not exempt
    assert (held["versions"], held["dist-tags"]) == ({}, {})


def test_a_refresh_that_finds_nothing_new_leaves_the_packument_as_it_was(live, verdaccio):
    """Each refresh (every request, with no TTL) re-reads an upstream that sends no ETag;
    with latest held back, npm's derived latest and summary must not count as changes."""
    proxy_of("npm-cooled", verdaccio.registry, cooldown_days=7, metadata_ttl=0)
    serve_ms_with_an_old_first_version(verdaccio)
    base = live.repo_url("npm-cooled")
    _, first = get_json(base + "ms")
    live.wait_until_idle()  # the first answer's rows written
    for _ in range(2):
        get_json(base + "ms")  # stale: refreshed in the background
        live.wait_until_idle()
    _, last = get_json(base + "ms")
    assert verdaccio.front.requests("/ms") >= 3
    assert last["dist-tags"] == {"latest": "2.1.2"}
    assert (last["_rev"], last["time"]["modified"]) == (first["_rev"], first["time"]["modified"])
