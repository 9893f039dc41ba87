"""PEP 691 negotiation: Accept with q-values, `?format=`, HTML when nothing matches."""

import json

import pytest

from formats.pypi.simple.render import HTML_V1, JSON_V1, TEXT_HTML, negotiate

PIP = f"{JSON_V1}, {HTML_V1}; q=0.1, text/html; q=0.01"
UV = f"{JSON_V1}, {HTML_V1}; q=0.2, text/html; q=0.01"
POETRY = f"{JSON_V1}, */*;q=0.1"


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (PIP, JSON_V1),
        (UV, JSON_V1),
        (POETRY, JSON_V1),
        ("", TEXT_HTML),
        ("*/*", TEXT_HTML),
        ("text/html", TEXT_HTML),
        (HTML_V1, HTML_V1),
        ("application/vnd.pypi.simple.latest+json", JSON_V1),
        ("application/vnd.pypi.simple.latest+html", HTML_V1),
        (f"{JSON_V1};q=0.5, text/html;q=0.9", TEXT_HTML),
        (f"{JSON_V1};q=0, text/html;q=0.1", TEXT_HTML),
        ("application/json", TEXT_HTML),
        ("image/png", TEXT_HTML),
        (f"{JSON_V1};q=bogus, {HTML_V1}", HTML_V1),
        ("application/*;q=0.5, text/html;q=0.4", HTML_V1),
    ],
)
def test_it_chooses_the_representation_the_client_prefers(accept, chosen):
    assert negotiate(accept) == chosen


@pytest.fixture
def published(repo, upload, wheel):
    upload(repo, wheel)


@pytest.mark.parametrize("path", ["/repository/py/simple/", "/repository/py/simple/tiny-pkg/"])
def test_it_sends_content_type_and_vary_accept(published, client, path):
    for accept, content_type in [
        (PIP, JSON_V1),
        (HTML_V1, HTML_V1),
        ("text/html", "text/html; charset=utf-8"),
        ("image/png", "text/html; charset=utf-8"),
    ]:
        response = client.get(path, HTTP_ACCEPT=accept)
        assert response["Content-Type"] == content_type
        assert "Accept" in [v.strip() for v in response["Vary"].split(",")]


def test_it_lets_the_format_parameter_override_accept(published, client):
    page = "/repository/py/simple/tiny-pkg/"
    response = client.get(page + f"?format={JSON_V1}", HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == JSON_V1
    assert json.loads(response.content)["name"] == "tiny-pkg"
    response = client.get(page + "?format=text/html", HTTP_ACCEPT=PIP)
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_it_gives_each_representation_its_own_etag(published, client):
    page = "/repository/py/simple/tiny-pkg/"
    html = client.get(page, HTTP_ACCEPT="text/html")["ETag"]
    assert client.get(page, HTTP_ACCEPT=PIP)["ETag"] != html


def test_it_answers_head_with_the_get_headers_and_no_body(published, client):
    page = "/repository/py/simple/tiny-pkg/"
    get, head = client.get(page, HTTP_ACCEPT=PIP), client.head(page, HTTP_ACCEPT=PIP)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == get["Content-Length"]
    assert head["Content-Type"] == get["Content-Type"]
