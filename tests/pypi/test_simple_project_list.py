"""`simple/`: every project of the repository, as PEP 503 HTML or PEP 691 JSON."""

import json

from tests.pypi.builders import make_wheel
from tests.pypi.conftest import OUTSIDER, READER

JSON = "application/vnd.pypi.simple.v1+json"


def test_it_lists_projects_with_normalized_links(repo, upload, wheel, client):
    upload(repo, wheel)
    upload(repo, make_wheel("Other.Thing", "2.0"))
    response = client.get("/repository/py/simple/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = response.content.decode()
    assert '<meta name="pypi:repository-version" content="1.1">' in body
    assert '<a href="tiny-pkg/">Tiny-Pkg</a>' in body
    assert '<a href="other-thing/">Other.Thing</a>' in body


def test_it_lists_projects_as_json(repo, upload, wheel, client):
    upload(repo, wheel)
    response = client.get("/repository/py/simple/", HTTP_ACCEPT=JSON)
    assert response["Content-Type"] == JSON
    assert json.loads(response.content) == {
        "meta": {"api-version": "1.1"},
        "projects": [{"name": "Tiny-Pkg"}],
    }


def test_it_shows_a_new_project_on_the_very_next_read(
    repo, upload, wheel, client, django_capture_on_commit_callbacks
):
    assert b"tiny-pkg" not in client.get("/repository/py/simple/").content
    with django_capture_on_commit_callbacks(execute=True):  # the upload commits
        upload(repo, wheel)
    assert b"tiny-pkg/" in client.get("/repository/py/simple/").content


def test_it_answers_405_to_a_post(repo, client):
    response = client.post("/repository/py/simple/")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_it_asks_anonymous_clients_of_a_private_repository_to_authenticate(private_repo, client):
    response = client.get("/repository/secret/simple/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_it_lets_a_reader_list_a_private_repository(private_repo, client):
    assert client.get("/repository/secret/simple/", HTTP_AUTHORIZATION=READER).status_code == 200


def test_it_hides_a_private_repository_from_an_outsider_a_private_repository(
    private_repo, client, outsider
):
    assert client.get("/repository/secret/simple/", HTTP_AUTHORIZATION=OUTSIDER).status_code == 404
