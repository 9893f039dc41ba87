"""Every UI page in headless Chromium, with the Content-Security-Policy enforced: no page
may need inline script or style (a violation fails the test). A superuser makes a token and
copies it, adds a grant, makes a user and a group, and reads the audit trail."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect, sync_playwright

from repository.access.tokens import resolve_token
from repository.models import RepositoryRole
from tests.conftest import PASSWORD
from tests.e2e.test_ui_browser import CHROMIUM, CHROMIUM_ARGS, publish

pytestmark = pytest.mark.e2e


@pytest.fixture
def content(make_repository, admin, outsider):
    repository = make_repository("team-python", "pypi", private=True)
    publish(repository, "flask", "3.0.0", "flask-3.0.0-py3-none-any.whl")
    Group.objects.create(name="qa").user_set.add(outsider)
    return repository


def test_every_page_works_under_the_csp(live, content, tmp_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live.url, permissions=["clipboard-read", "clipboard-write"]
        )
        page = context.new_page()
        violations: list[str] = []
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

        page.goto("/login/")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text("Signed in as admin")).to_be_visible()

        # Tokens: make one limited to team-python, shown once with setup lines; copy it.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Tokens").click()
        page.get_by_label("Name").fill("laptop")
        page.get_by_label("Read-only (installs and downloads)").check()
        page.get_by_label("team-python").check()
        page.get_by_label("Show client setup for repository").select_option("team-python")
        page.get_by_role("button", name="Create token").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Token created")
        secret = page.locator("#new-token").inner_text().strip()
        assert re.fullmatch(r"larder_[A-Za-z0-9_-]{40,}", secret)
        expect(
            page.get_by_text(
                f"index-url = {live.url.replace('http://', f'http://__token__:{secret}@')}"
            )
        ).to_be_visible()
        page.locator(".codeblock").first.get_by_role("button", name="Copy").click()
        assert page.evaluate("navigator.clipboard.readText()") == secret
        page.screenshot(path=tmp_path / "token-created.png", full_page=True)
        page.get_by_role("link", name="Back to your tokens").click()
        expect(page.get_by_role("cell", name="laptop", exact=True)).to_be_visible()
        page.screenshot(path=tmp_path / "tokens.png", full_page=True)

        # Grants on a repository: give the qa group the maintainer role.
        page.goto("/ui/repositories/team-python/")
        page.get_by_role("main").get_by_role("link", name="Grants").click()
        page.get_by_label("Grant to").select_option("group")
        page.get_by_label("User or group name").fill("qa")
        page.get_by_label("Role").select_option("maintainer")
        page.get_by_role("button", name="Grant").click()
        expect(page.get_by_role("cell", name="Group qa", exact=True)).to_be_visible()
        page.screenshot(path=tmp_path / "grants.png", full_page=True)

        # Users and groups.
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
        page.get_by_label("User name").fill("erin")
        page.get_by_label("Password").fill("erins long passphrase")
        page.get_by_role("button", name="Create user").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("erin")
        page.get_by_role("button", name="Deactivate").click()
        expect(page.get_by_text("Deactivated")).to_be_visible()
        page.screenshot(path=tmp_path / "user.png", full_page=True)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
        page.get_by_role("link", name="qa").click()
        page.get_by_label("User name").fill("erin")
        page.get_by_role("button", name="Add member").click()
        expect(page.get_by_role("link", name="erin")).to_be_visible()
        page.screenshot(path=tmp_path / "group.png", full_page=True)

        # Global grants, and the audit trail filtered to this run's grant.
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Global grants"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Grants on all repositories")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
        page.get_by_label("Action").fill("role.")
        page.get_by_role("button", name="Filter").click()
        expect(page.get_by_role("cell", name="role.grant", exact=True)).to_be_visible()
        page.screenshot(path=tmp_path / "audit.png", full_page=True)

        for url in [
            "/",
            "/ui/repositories/team-python/",
            "/ui/repositories/team-python/packages/flask/",
        ]:
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.get_by_role("button", name="Log out").click()
        expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
        browser.close()

    assert violations == []
    assert resolve_token(secret).readonly
    assert RepositoryRole.objects.filter(group__name="qa", role="maintainer").exists()
