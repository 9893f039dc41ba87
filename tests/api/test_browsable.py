"""A browser signed in to the UI can explore the API: every endpoint renders as HTML, under a
Content-Security-Policy that lets DRF's templates style inline and still runs no inline script."""

import pytest

from repository.models import ApiToken

PATHS = [
    "repositories/",
    "repositories/py/",
    "repositories/py/packages/",
    "repositories/py/packages/demo/",
    "repositories/py/packages/demo/versions/",
    "repositories/py/packages/demo/versions/1.0/",
    "repositories/py/assets/",
    "repositories/py/assets/demo/1.0/demo-1.0.tar.gz",
    "repositories/py/roles/",
    "tokens/",
]


@pytest.fixture
def browser(client, admin, make_repository, add_file, make_token):
    add_file(make_repository("py", "pypi"), "demo", "1.0", "demo-1.0.tar.gz")
    make_token(admin)
    client.force_login(admin)
    return client


@pytest.mark.parametrize("path", PATHS)
def test_it_renders_each_endpoint_as_html(browser, path):
    response = browser.get(f"/api/v1/{path}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_it_renders_a_token_without_its_secret(browser):
    token = ApiToken.objects.get()
    page = browser.get(f"/api/v1/tokens/{token.pk}/", HTTP_ACCEPT="text/html")
    assert token.prefix in page.content.decode()
    assert token.token_hash not in page.content.decode()


def _policy(response) -> dict[str, str]:
    return dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )


def test_its_html_may_style_inline_but_never_run_inline_script(browser):
    html = _policy(browser.get("/api/v1/repositories/", HTTP_ACCEPT="text/html"))
    assert html["style-src"] == "'self' 'unsafe-inline'"
    assert html["script-src"] == "'self'"
    assert html["frame-ancestors"] == "'none'"
    json = _policy(browser.get("/api/v1/repositories/", HTTP_ACCEPT="application/json"))
    assert json["style-src"] == "'self'"
