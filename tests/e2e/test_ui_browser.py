"""The web UI in a real browser: log in, browse, search, read a package's versions, log out.

Headless Chromium (the system's, never a downloaded one) drives the live gunicorn server.
Screenshots land in the test's tmp_path for a human look.
"""

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from repository.formats import get_format
from repository.models import Asset, Package, Version
from repository.services.blobs import store_bytes
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def publish(repository, name: str, version: str, filename: str, **fields) -> Asset:
    fmt = get_format(repository.format)
    package, _ = Package.objects.get_or_create(
        repository=repository, name=fmt.normalize_name(name), defaults={"display_name": name}
    )
    row = Version.objects.create(package=package, version=version, **fields)
    return Asset.objects.create(
        repository=repository,
        path=f"{package.name}/{filename}",
        package=package,
        version=row,
        blob=store_bytes(f"{filename} contents".encode()),
        filename=filename,
    )


@pytest.fixture
def team_repository(make_repository, reader):
    repository = make_repository("team-python", "pypi", private=True)
    publish(repository, "requests-toolbelt", "1.9", "requests_toolbelt-1.9-py3-none-any.whl")
    publish(
        repository,
        "requests-toolbelt",
        "1.10",
        "requests_toolbelt-1.10-py3-none-any.whl",
    )
    publish(
        repository,
        "requests-toolbelt",
        "1.10.1",
        "requests_toolbelt-1.10.1.tar.gz",
        yanked=True,
        yanked_reason="missing license file",
    )
    publish(repository, "flask", "3.0.0", "flask-3.0.0-py3-none-any.whl")
    return repository


def test_it_lets_a_reader_log_in_find_a_package_and_read_its_files(live, team_repository, tmp_path):
    # Read rows before the browser starts: Django refuses ORM calls inside Playwright's loop.
    newest_wheel = Asset.objects.select_related("blob").get(
        filename="requests_toolbelt-1.10-py3-none-any.whl"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live.url,
            permissions=["clipboard-read", "clipboard-write"],
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()

        page.goto("/")
        expect(page.get_by_role("link", name="team-python")).to_have_count(0)
        page.get_by_role("banner").get_by_role("link", name="Log in").click()
        page.get_by_label("Username").fill("reader")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        expect(page.get_by_text("Signed in as reader")).to_be_visible()
        page.screenshot(path=tmp_path / "repositories.png", full_page=True)
        page.get_by_role("link", name="team-python").click()

        page.get_by_role("searchbox", name="Search packages by name").fill("TOOL")
        page.get_by_role("button", name="Search").click()
        expect(page).to_have_url(re.compile(r"/ui/repositories/team-python/\?q=TOOL$"))
        packages = page.get_by_role("table").get_by_role("link")
        expect(packages).to_have_text(["requests-toolbelt"])
        page.screenshot(path=tmp_path / "repository.png", full_page=True)
        packages.first.click()

        expect(page.get_by_role("heading", level=1)).to_have_text("requests-toolbelt 1.10")
        expect(page.get_by_role("heading", level=3)).to_have_text(["1.10.1", "1.10", "1.9"])
        expect(page.get_by_text("Yanked: missing license file")).to_be_visible()
        newest = page.get_by_role("article").filter(
            has=page.get_by_role("heading", name="1.10", exact=True)
        )
        file_row = newest.get_by_role("row").filter(has_text=newest_wheel.filename)
        expect(file_row).to_contain_text(newest_wheel.blob.sha256)
        expect(file_row.get_by_role("link", name=newest_wheel.filename)).to_have_attribute(
            "href", f"/repository/team-python/{newest_wheel.path}"
        )
        file_row.get_by_role("button", name="Copy SHA-256").click()
        expect(file_row.get_by_role("button", name="Copy SHA-256")).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == newest_wheel.blob.sha256
        page.screenshot(path=tmp_path / "package.png", full_page=True)

        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
        expect(page.get_by_role("link", name="team-python")).to_have_count(0)
        page.goto("/ui/repositories/team-python/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        browser.close()
