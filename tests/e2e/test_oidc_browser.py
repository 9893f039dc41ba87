"""OIDC in headless Chromium against a real provider process (oidc-provider on Node): the
"Sign in with <provider>" button, the code flow with PKCE, a user made at first sign-in whose
groups claim carries a grant, and logout that ends the provider's session too."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect, sync_playwright

from repository.models import AuditEvent, ExternalIdentity, Repository, RepositoryRole, Role
from tests.e2e.conftest import free_port
from tests.e2e.test_ui_browser import CHROMIUM, CHROMIUM_ARGS
from tests.oidc.provider import PROVIDER_NAME, OpenIdProvider, running_provider

pytestmark = pytest.mark.e2e

ACCOUNTS = {
    "dana-sub-7": {"email": "dana@larder.test", "preferred_username": "dana", "groups": ["qa"]},
}


@pytest.fixture
def sso(start_live_server, tmp_path):
    port = free_port()
    planned = OpenIdProvider(f"http://127.0.0.1:{port}")
    qa = Group.objects.create(name="qa")
    repository = Repository.objects.create(name="qa-only", format="generic", anonymous_read=False)
    RepositoryRole.objects.create(group=qa, repository=repository, role=Role.READER)
    server = start_live_server(planned.larder_env())
    with running_provider(port, server.url, ACCOUNTS, tmp_path / "oidc.log"):
        yield server


def test_it_signs_in_with_the_provider_and_out_of_both(sso, tmp_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=sso.url)
        authorization_requests = []
        page.on(
            "request",
            lambda request: (
                authorization_requests.append(request.url) if "/auth?" in request.url else None
            ),
        )

        page.goto("/login/")
        page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
        page.locator("input[name=login]").fill("dana-sub-7")
        page.locator("input[name=password]").fill("anything")
        page.screenshot(path=tmp_path / "provider-login.png")
        page.get_by_role("button", name="Sign-in").click()

        expect(page.get_by_text("Signed in as dana")).to_be_visible()
        expect(page.get_by_role("link", name="qa-only")).to_be_visible()
        page.screenshot(path=tmp_path / "signed-in.png", full_page=True)
        assert "code_challenge_method=S256" in authorization_requests[0]
        assert "code_challenge=" in authorization_requests[0]

        page.get_by_role("button", name="Log out").click()
        page.get_by_role("button", name="Yes, sign me out").click()
        expect(page.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()
        expect(page.get_by_role("link", name="qa-only")).to_have_count(0)

        # The provider's session ended too: signing in asks for the login again.
        page.goto("/login/")
        page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
        expect(page.locator("input[name=login]")).to_be_visible()
        browser.close()

    dana = get_user_model().objects.get(username="dana")
    assert dana.email == "dana@larder.test"
    assert list(dana.groups.values_list("name", flat=True)) == ["qa"]
    assert ExternalIdentity.objects.get(user=dana).subject == "dana-sub-7"
    assert AuditEvent.objects.filter(action="auth.login", actor_name="dana").exists()
