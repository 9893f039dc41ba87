"""/ui/tokens/: make a token (shown once, with client setup), list, revoke; superusers see
and revoke everyone's; CSRF-protected; audited."""

import re

import pytest
from django.test import Client

from repository.access.tokens import create_token, resolve_token
from repository.models import ApiToken, AuditEvent
from tests.ui.conftest import csrf_client, post


@pytest.fixture
def repos(make_repository):
    return make_repository("py", "pypi", private=True), make_repository("js", "npm")


def test_it_makes_a_token_shown_once_with_setup_lines(deployer, repos):
    client = csrf_client(deployer)
    response = post(
        client,
        "/ui/tokens/new/",
        {
            "name": "ci",
            "expires_in_days": "30",
            "readonly": "on",
            "repositories": ["py"],
            "setup_repository": "py",
        },
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    plain = re.search(r"(larder_[A-Za-z0-9_-]{40,})", body)[1]
    token = resolve_token(plain)
    assert (token.user, token.name, token.readonly) == (deployer, "ci", True)
    assert [r.name for r in token.repositories.all()] == ["py"]
    assert "index-url = http://__token__:" + plain + "@testserver/repository/py/simple/" in body
    assert "UV_DEFAULT_INDEX=http://__token__:" + plain in body
    assert f"curl -u __token__:{plain} http://testserver/repository/py/" in body
    assert plain not in client.get("/ui/tokens/").content.decode()
    assert AuditEvent.objects.filter(action="token.create", target=token.prefix).exists()


def test_it_shows_npmrc_lines_for_an_npm_repository(deployer, repos):
    body = post(csrf_client(deployer), "/ui/tokens/new/", {"setup_repository": "js"})
    plain = re.search(r"(larder_[A-Za-z0-9_-]{40,})", body.content.decode())[1]
    assert f"//testserver/repository/js/:_authToken={plain}" in body.content.decode()


def test_it_refuses_a_repository_the_user_cannot_read(outsider, repos):
    response = post(csrf_client(outsider), "/ui/tokens/new/", {"repositories": ["py"]})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_lists_prefix_last_use_and_address(client, deployer, repos):
    token, plain = create_token(deployer, name="laptop")
    client.get("/repository/py/simple/", HTTP_AUTHORIZATION=f"Bearer {plain}")
    body = csrf_client(deployer).get("/ui/tokens/").content.decode()
    assert token.prefix in body and "laptop" in body
    assert "127.0.0.1" in body
    assert "Never" in body  # the expiry


def test_it_revokes_your_own_token(deployer, repos):
    token, plain = create_token(deployer)
    response = post(csrf_client(deployer), f"/ui/tokens/{token.pk}/revoke/", {})
    assert response.status_code == 302
    assert resolve_token(plain) is None
    assert AuditEvent.objects.filter(action="token.revoke").exists()


def test_others_tokens_are_not_yours_to_revoke(deployer, reader, repos):
    token, plain = create_token(reader)
    assert post(csrf_client(deployer), f"/ui/tokens/{token.pk}/revoke/", {}).status_code == 404
    assert resolve_token(plain) is not None


def test_a_superuser_sees_and_revokes_everyones(admin, reader, repos):
    token, plain = create_token(reader, name="readers-laptop")
    client = csrf_client(admin)
    assert "readers-laptop" not in client.get("/ui/tokens/").content.decode()
    assert "readers-laptop" in client.get("/ui/tokens/?all=1").content.decode()
    assert post(client, f"/ui/tokens/{token.pk}/revoke/", {}).status_code == 302
    assert resolve_token(plain) is None


def test_it_refuses_a_post_without_csrf_token(deployer, repos):
    response = csrf_client(deployer).post("/ui/tokens/new/", {"name": "x"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_cannot_manage_tokens_in_the_ui(client, deployer, repos):
    _, plain = create_token(deployer)
    response = client.get("/ui/tokens/", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 403
    created = client.post("/ui/tokens/new/", {}, HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert created.status_code == 403
    assert ApiToken.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = Client().get("/ui/tokens/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/ui/tokens/"
