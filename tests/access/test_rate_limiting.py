"""Failed sign-ins are rate-limited per client address and per user name: 429 with
Retry-After in the protocol's own shape, decided before the password is checked (so a locked
out attempt learns nothing), and never in the way of requests that succeed."""

import pytest
from django.test import Client

from repository.access.ratelimit import local_counters
from repository.models import AuditEvent
from tests.access.conftest import basic, bearer, probe
from tests.conftest import PASSWORD, basic_auth


@pytest.fixture(autouse=True)
def low_thresholds(settings):
    settings.LARDER_LOGIN_FAILURES_PER_USER = 3
    settings.LARDER_LOGIN_FAILURES_PER_ADDRESS = 5
    settings.LARDER_LOGIN_LOCKOUT_SECONDS = 120
    local_counters.clear()
    yield
    local_counters.clear()


def _fail(call, url, username="reader", times=3):
    for _ in range(times):
        assert call("GET", url, basic_auth(username, "wrong")).status_code == 401


def test_it_locks_out_a_user_name_after_failed_passwords(call, reader, private_repo):
    url = probe(private_repo, "read")
    _fail(call, url)
    locked = call("GET", url, basic(reader))  # even the right password
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 120
    assert locked.json() == {
        "probe_error": f"too many failed sign-ins; try again in {locked['Retry-After']} seconds"
    }
    wrong = call("GET", url, basic_auth("reader", "still wrong"))
    assert (wrong.status_code, wrong.json()) == (429, locked.json())


def test_a_password_verified_before_the_attack_is_never_slowed(call, reader, private_repo):
    url = probe(private_repo, "read")
    assert call("GET", url, basic(reader)).status_code == 200
    _fail(call, url)
    assert call("GET", url, basic(reader)).status_code == 200


def test_valid_tokens_are_never_slowed(call, reader, make_token, private_repo):
    token = make_token(reader)
    url = probe(private_repo, "read")
    _fail(call, url, "a", times=3)
    _fail(call, url, "b", times=2)
    assert call("GET", url, basic_auth("c", "wrong")).status_code == 429  # the address
    assert call("GET", url, bearer(token)).status_code == 200


def test_it_locks_out_an_address_guessing_tokens(call, private_repo):
    url = probe(private_repo, "read")
    for _ in range(5):
        assert call("GET", url, bearer("larder_guess")).status_code == 401
    assert call("GET", url, bearer("larder_guess")).status_code == 429
    assert AuditEvent.objects.filter(action="auth.token", outcome="failure").count() == 5


def test_the_api_answers_429_as_drf_json(call, reader, private_repo):
    _fail(call, "/api/v1/repositories/")
    response = call("GET", "/api/v1/repositories/", basic(reader))
    assert response.status_code == 429
    assert "Retry-After" in response
    assert "too many failed sign-ins" in response.json()["detail"]


def test_the_login_page_locks_out_without_saying_why(reader):
    for _ in range(3):
        assert Client().post("/login/", {"username": "reader", "password": "x"}).status_code == 200
    right = Client().post("/login/", {"username": "reader", "password": PASSWORD})
    wrong = Client().post("/login/", {"username": "reader", "password": "x"})
    assert right.status_code == wrong.status_code == 429
    assert right["Retry-After"]
    assert "Too many failed sign-ins" in right.content.decode()
    assert "_auth_user_id" not in right.client.session


def test_other_users_at_other_addresses_sign_in_meanwhile(reader, deployer):
    for _ in range(3):
        Client().post("/login/", {"username": "reader", "password": "x"})
    other = Client(REMOTE_ADDR="10.9.8.7").post(
        "/login/", {"username": "deployer", "password": PASSWORD}
    )
    assert other.status_code == 302


def test_it_counts_in_the_process_when_embedded(settings, call, reader, private_repo):
    settings.REDIS_URL = ""
    url = probe(private_repo, "read")
    _fail(call, url)
    assert call("GET", url, basic(reader)).status_code == 429


def test_npm_login_is_locked_out_too(client, reader, make_repository):
    make_repository("npm-hosted", "npm")
    url = "/repository/npm-hosted/-/user/org.couchdb.user:reader"
    body = '{"name": "reader", "password": "wrong"}'
    for _ in range(3):
        response = client.put(url, body, content_type="application/json")
        assert response.status_code == 401
    locked = client.put(
        url, f'{{"name": "reader", "password": "{PASSWORD}"}}', content_type="application/json"
    )
    assert locked.status_code == 429
    assert "too many failed sign-ins" in locked.json()["error"]
    assert locked["Retry-After"]


def test_it_counts_in_the_process_while_redis_is_down(settings, call, reader, private_repo, caplog):
    url = probe(private_repo, "read")
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    _fail(call, url)
    assert call("GET", url, basic(reader)).status_code == 429
    assert "counting failed sign-ins locally" in caplog.text
