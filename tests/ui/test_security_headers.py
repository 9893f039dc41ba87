"""UI pages carry a CSP without inline script, frame-ancestors 'none', nosniff and a referrer
policy; cookies are HttpOnly, and Secure over TLS (an https public URL, or a trusted proxy
saying https)."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.ui.conftest import client_for


def _visitor(admin, url: str) -> Client:
    """The login page is for visitors not signed in yet; the rest for the superuser."""
    return Client() if url == "/login/" else client_for(admin)


@pytest.mark.parametrize("url", ["/", "/login/", "/ui/tokens/", "/ui/users/", "/ui/audit/"])
def test_ui_pages_carry_the_security_headers(admin, url):
    response = _visitor(admin, url).get(url)
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_style(admin):
    for url in ["/", "/login/", "/ui/tokens/", "/ui/users/", "/ui/groups/", "/ui/audit/"]:
        body = _visitor(admin, url).get(url).content.decode()
        assert "<script>" not in body and "<script " not in body.replace("<script src=", ""), url
        assert " style=" not in body and "<style" not in body, url
        assert " onclick=" not in body, url


def _login_cookies(client: Client, **extra):
    response = client.post("/login/", {"username": "reader", "password": PASSWORD}, **extra)
    assert response.status_code == 302
    return response.cookies


def test_cookies_are_http_only_but_not_secure_over_plain_http(reader):
    cookies = _login_cookies(Client())
    assert cookies["sessionid"]["httponly"]
    assert not cookies["sessionid"]["secure"]


def test_cookies_are_secure_behind_a_trusted_tls_proxy(reader, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    cookies = _login_cookies(Client(), HTTP_X_FORWARDED_PROTO="https", secure=False)
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httponly"]
    assert cookies["csrftoken"]["secure"] and cookies["csrftoken"]["httponly"]


def test_an_untrusted_forwarded_proto_changes_nothing(reader):
    cookies = _login_cookies(Client(), HTTP_X_FORWARDED_PROTO="https")
    assert not cookies["sessionid"]["secure"]
