"""/repository/<name>/... for a name no repository has: a 404 in the client's own shape.

There is no format to ask, so the shape comes from the request: twine, pip, uv and curl
get `404 <reason>` as text with the reason in the status line; npm, yarn and pnpm (and
anyone asking for JSON) get `{"error": ...}`. The answer always names the repository.
"""

import json

import pytest
from django.test import Client

NPM_AGENT = "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false"
PIP_ACCEPT = (
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, "
    "text/html; q=0.01"
)


def assert_text_404(response, name="nope") -> None:
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == f"404 no repository named {name}\n"


def assert_json_404(response, name="nope") -> None:
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == f"no repository named {name}"


@pytest.mark.parametrize("path", ["legacy/", "legacy"])
def test_it_tells_twine_in_the_reason_phrase(db, path):
    response = Client().post(f"/repository/nope/{path}", {":action": "file_upload", "name": "demo"})
    assert_text_404(response)
    assert response.reason_phrase == "no repository named nope"


def test_it_tells_curl_uploads_in_text(db):
    response = Client().put(
        "/repository/nope/releases/app.tar.gz", b"bytes", content_type="application/gzip"
    )
    assert_text_404(response)


def test_it_answers_curl_in_json_when_asked(db):
    response = Client().get("/repository/nope/releases/", HTTP_ACCEPT="application/json")
    assert_json_404(response)


def test_it_tells_npm_publish_in_json(db):
    body = json.dumps({"_id": "demo", "name": "demo", "versions": {}})
    response = Client().put(
        "/repository/nope/demo",
        body,
        content_type="application/json",
        HTTP_NPM_COMMAND="publish",
        HTTP_USER_AGENT=NPM_AGENT,
    )
    assert_json_404(response)


def test_it_takes_a_json_body_for_an_npm_client(db):
    response = Client().put("/repository/nope/demo", "{}", content_type="application/json")
    assert_json_404(response)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_NPM_SESSION": "0123456789abcdef", "HTTP_ACCEPT": "*/*"},
        {"HTTP_USER_AGENT": "yarn/4.18.1 npm/? node/v20.20.2 linux x64"},
        {"HTTP_USER_AGENT": "pnpm/9.15.9 npm/? node/v20.20.2 linux x64"},
        {"HTTP_ACCEPT": "application/vnd.npm.install-v1+json; q=1.0, */*; q=0.8"},
    ],
)
def test_it_tells_npm_clients_installing_in_json(db, headers):
    assert_json_404(Client().get("/repository/nope/left-pad", **headers))


@pytest.mark.parametrize("path", ["simple/", "simple/demo/", "files/demo/1.0/demo-1.0.tar.gz"])
def test_it_answers_pip_and_uv_404_in_text(db, path):
    assert_text_404(Client().get(f"/repository/nope/{path}", HTTP_ACCEPT=PIP_ACCEPT))


def test_it_answers_the_repository_root(db):
    assert_text_404(Client().get("/repository/nope/"))


def test_it_keeps_a_name_that_cannot_go_in_a_status_line_out_of_it(db):
    response = Client().post("/repository/n%C3%B6pe%0Ax/legacy/", {})
    assert response.status_code == 404
    assert response.reason_phrase == "Not Found"
    assert "nöpe" in response.content.decode()
