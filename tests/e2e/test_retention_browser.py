"""Retention in a real browser, against the live server and its Celery worker.

The full flow: create a policy, watch its live preview, run it, see the versions gone from
pip and npm, restore one from the trash, see it back. Then every other page: the policy
list, a dry run's page, the trash's purge, pins, the storage dashboard.
"""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from repository.models import TrashEntry, Version, VersionPin
from repository.retention.figures import take_snapshots
from repository.retention.trash import trash_version
from tests.conftest import PASSWORD
from tests.e2e.test_ui_browser import CHROMIUM, CHROMIUM_ARGS
from tests.npm.clients import NodeClients
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


@pytest.fixture
def published(live, make_repository, deployer, make_token, tmp_path):
    """Two versions of a wheel (twine) and of an npm package (npm), by the deployer."""
    make_repository("py-flow", "pypi")
    make_repository("npm-flow", "npm")
    token = make_token(deployer)
    python = Clients(tmp_path / "python")
    for version in ("1.0", "2.0"):
        wheel = python.write(make_wheel("Flow-Pkg", version))
        python.twine_upload(live.repo_url("py-flow") + "legacy/", "__token__", token, wheel)
    npm = NodeClients(tmp_path / "npm", live.repo_url("npm-flow"))
    npm.configure(token=token)
    for version in ("1.0.0", "2.0.0"):
        npm.publish("flow-pkg", version)
    return {"python": python, "npm": npm, "index": live.repo_url("py-flow") + "simple/"}


def browser_page(playwright, live):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
    return browser, page.new_page()


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def pip_finds(published, requirement: str, folder: str) -> bool:
    python = published["python"]
    result = python.pip_install(published["index"], requirement, python.home / folder, check=False)
    return result.returncode == 0


def npm_versions(published) -> list[str]:
    found = published["npm"].npm_json("view", "flow-pkg", "versions", "--prefer-online")
    return found if isinstance(found, list) else [found]


def test_create_preview_run_then_restore_from_the_trash(live, published, admin, tmp_path):
    assert pip_finds(published, "flow-pkg==1.0", "before")
    with sync_playwright() as playwright:
        browser, page = browser_page(playwright, live)
        log_in(page, "admin")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Retention").click()
        page.get_by_role("link", name="New policy").click()

        page.get_by_label("Name", exact=True).fill("keep one")
        page.get_by_label("py-flow").check()
        page.get_by_label("npm-flow").check()
        preview = page.locator("#preview")
        expect(preview).to_contain_text("Set some rules")
        page.get_by_label("Keep the newest N versions of each package").fill("1")
        rows = preview.get_by_role("row")
        expect(rows).to_have_count(3)  # the header and one row per package
        expect(preview).to_contain_text("flow-pkg")
        expect(preview.get_by_role("cell", name="1.0", exact=True)).to_be_visible()
        expect(preview.get_by_role("cell", name="1.0.0", exact=True)).to_be_visible()
        page.screenshot(path=tmp_path / "policy-preview.png", full_page=True)

        page.get_by_label("Keep the newest N versions of each package").fill("2")
        expect(preview).to_contain_text("Nothing to delete")
        page.get_by_label("Keep the newest N versions of each package").fill("1")
        expect(rows).to_have_count(3)

        page.get_by_role("button", name="Create policy").click()
        expect(page.get_by_text("Policy keep one created.")).to_be_visible()
        page.get_by_role("button", name="Run now").click()
        expect(page.locator("#run-status")).to_have_text("Finished", timeout=30_000)
        expect(page.locator("#versions-deleted")).to_have_text("2")
        page.screenshot(path=tmp_path / "run.png", full_page=True)

        assert not pip_finds(published, "flow-pkg==1.0", "gone")
        assert pip_finds(published, "flow-pkg==2.0", "kept")
        assert npm_versions(published) == ["2.0.0"]

        page.goto("/ui/repositories/py-flow/trash/")
        expect(page.get_by_role("cell", name="flow-pkg 1.0 1 file")).to_be_visible()
        page.get_by_role("button", name="Restore flow-pkg 1.0").click()
        expect(page.get_by_text("Restored flow-pkg 1.0.")).to_be_visible()
        expect(page.get_by_text("The trash is empty.")).to_be_visible()
        page.goto("/ui/repositories/npm-flow/trash/")
        page.get_by_role("button", name="Restore flow-pkg 1.0.0").click()
        expect(page.get_by_text("Restored flow-pkg 1.0.0.")).to_be_visible()

        assert pip_finds(published, "flow-pkg==1.0", "back")
        assert npm_versions(published) == ["1.0.0", "2.0.0"]
        page.goto("/ui/retention/")
        expect(page.get_by_role("row").filter(has_text="keep one")).to_contain_text("finished")
        browser.close()
    assert not TrashEntry.objects.exists()
    assert Version.objects.filter(version__in=["1.0", "1.0.0"]).count() == 2


def test_the_other_pages(live, published, admin, tmp_path):
    take_snapshots()
    with sync_playwright() as playwright:
        browser, page = browser_page(playwright, live)
        log_in(page, "admin")

        # Pin 1.0 on its package page: the dry run then spares it.
        page.goto("/ui/repositories/py-flow/packages/flow-pkg/")
        page.get_by_role("button", name="Pin 1.0").click()
        expect(page.get_by_text("no retention policy will delete it")).to_be_visible()
        expect(page.get_by_role("button", name="Unpin 1.0")).to_be_visible()

        page.goto("/ui/retention/new/")
        page.get_by_label("Name", exact=True).fill("py only")
        page.get_by_label("py-flow").check()
        page.get_by_label("Keep the newest N versions of each package").fill("1")
        page.get_by_label("Schedule (crontab, UTC)").fill("15 4 * * *")
        expect(page.locator("#preview")).to_contain_text("Nothing to delete")
        page.get_by_role("button", name="Create policy").click()
        expect(page.get_by_text("Next scheduled run")).to_contain_text("04:15 UTC")
        page.get_by_role("button", name="Dry run").click()
        expect(page.locator("#run-status")).to_have_text("Finished", timeout=30_000)
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Dry run \d+"))

        page.get_by_role("link", name="py only").click()
        page.get_by_label("Keep the newest N versions of each package").fill("0")
        page.get_by_role("button", name="Preview on its own page").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Preview")
        expect(page.get_by_role("cell", name="2.0", exact=True)).to_be_visible()
        expect(page.get_by_role("cell", name="1.0", exact=True)).to_have_count(0)  # pinned
        page.go_back()
        expect(page.get_by_role("heading", name="Runs")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile(r"Dry run \d+"))).to_be_visible()
        page.get_by_role("link", name="Retention policies").click()
        expect(page.get_by_role("row").filter(has_text="py only")).to_contain_text("15 4 * * *")

        page.goto("/ui/storage/")
        expect(page.get_by_role("heading", name="Storage", level=1)).to_be_visible()
        expect(page.locator("svg.chart-svg polyline[data-repository='py-flow']")).to_have_count(1)
        expect(page.get_by_role("row").filter(has_text="npm-flow")).to_be_visible()
        page.screenshot(path=tmp_path / "storage.png", full_page=True)
        browser.close()
    assert VersionPin.objects.get().version.version == "1.0"
    assert Version.objects.count() == 4


def test_the_trash_page_purges(live, published, admin, tmp_path):
    trash_version(Version.objects.get(version="1.0.0"), reason="npm unpublish")
    with sync_playwright() as playwright:
        browser, page = browser_page(playwright, live)
        log_in(page, "admin")
        page.goto("/ui/repositories/npm-flow/")
        page.get_by_role("link", name="Trash").click()
        row = page.get_by_role("row").filter(has_text="flow-pkg 1.0.0")
        expect(row).to_contain_text("npm unpublish")
        row.get_by_role("button", name="Purge flow-pkg 1.0.0").click()
        expect(page.get_by_text("Purged flow-pkg 1.0.0 for good.")).to_be_visible()
        expect(page.get_by_text("The trash is empty.")).to_be_visible()
        browser.close()
    assert not TrashEntry.objects.exists()
