"""A proxy repository in the API: how its upstream is doing, and which files are cached."""

import pytest

from repository.services.repositories import create_repository

URL = "/api/v1/repositories/py-proxy/"


@pytest.fixture
def proxy(db, pypiserver):
    return create_repository(
        "py-proxy",
        "pypi",
        kind="proxy",
        settings={
            "proxy": {
                "upstream": pypiserver.index_url,
                "breaker_threshold": 1,
                "auth": {"username": "ci", "password": "hunter2-secret"},
            }
        },
    )


def test_a_proxys_detail_shows_its_upstream_status(api, client, reader, proxy, pypiserver):
    assert api("GET", URL).json()["upstream_status"] == {
        "breaker": "closed",
        "consecutive_failures": 0,
        "retry_after": None,
        "last_success": None,
        "last_error": None,
        "cached_bytes": 0,
    }
    assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    pypiserver.front.fault(status=500)
    assert client.get("/repository/py-proxy/simple/idna/").status_code == 502

    response = api("GET", URL, user=reader)
    status = response.json()["upstream_status"]
    assert status["breaker"] == "open" and status["consecutive_failures"] == 1
    assert 0 < status["retry_after"] <= 60
    assert status["last_success"].endswith("Z")
    assert status["last_error"]["message"].endswith("idna/: the upstream answered 500")
    assert status["last_error"]["at"] >= status["last_success"]
    assert "hunter2" not in response.content.decode()


def test_the_cached_bytes_count_what_was_fetched(api, client, proxy):
    assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    row = api("GET", URL + "assets/?filename=six-1.17.0-py2.py3-none-any.whl").json()["results"][0]
    download = client.get(row["download_url"].removeprefix("http://testserver"))
    size = len(b"".join(download.streaming_content))
    assert api("GET", URL).json()["upstream_status"]["cached_bytes"] == size


def test_hosted_repositories_and_the_list_have_no_upstream_status(api, make_repository, proxy):
    make_repository("py", "pypi")
    assert api("GET", "/api/v1/repositories/py/").json()["upstream_status"] is None
    for row in api("GET", "/api/v1/repositories/").json()["results"]:
        assert "upstream_status" not in row


def test_assets_say_whether_their_bytes_are_cached(api, client, proxy):
    assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    rows = api("GET", URL + "assets/").json()["results"]
    assert rows and not any(row["cached"] for row in rows)
    wheel = next(row for row in rows if row["filename"] == "six-1.17.0-py2.py3-none-any.whl")
    assert wheel["size"] is None
    download = client.get(wheel["download_url"].removeprefix("http://testserver"))
    body = b"".join(download.streaming_content)

    detail = api("GET", wheel["url"].removeprefix("http://testserver")).json()
    assert detail["cached"] is True and detail["size"] == len(body)
    others = api("GET", URL + "assets/").json()["results"]
    assert [row["cached"] for row in others if row["path"] != wheel["path"]] == [False, False]
