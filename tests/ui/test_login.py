"""/login/ and /logout/: a session for the browser, shown in the header on every page."""

from django.test import Client

from tests.conftest import PASSWORD
from tests.ui.conftest import client_for


def test_it_shows_a_labelled_login_form(db):
    body = Client().get("/login/").content.decode()
    assert '<label for="id_username">Username</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert 'autocomplete="current-password"' in body


def test_it_logs_in_and_returns_to_the_page_asked_for(make_repository, reader):
    make_repository("secret", "pypi", private=True)
    client = Client()
    response = client.post(
        "/login/",
        {"username": "reader", "password": PASSWORD, "next": "/ui/repositories/secret/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/ui/repositories/secret/"
    page = client.get("/ui/repositories/secret/")
    assert page.status_code == 200
    assert "Signed in as <strong>reader</strong>" in page.content.decode()


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(reader):
    client = Client()
    response = client.post("/login/", {"username": "reader", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_never_redirects_off_site_after_login(reader):
    response = Client().post(
        "/login/", {"username": "reader", "password": PASSWORD, "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"


def test_it_logs_out_on_post_only(reader):
    client = client_for(reader)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Signed in as" not in body
    assert 'href="/login/?next=/"' in body


def test_it_requires_the_csrf_token_to_log_out(reader):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="reader", password=PASSWORD)
    assert client.post("/logout/").status_code == 403
    assert "Signed in as" in client.get("/").content.decode()


def test_it_says_when_signing_in_with_the_provider_failed(db):
    body = Client().get("/login/?failed=oidc").content.decode()
    assert "did not work. Please try again." in body
