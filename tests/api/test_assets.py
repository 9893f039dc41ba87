"""GET /api/v1/repositories/<name>/assets/: every file, with hashes and where to download it."""

import hashlib

import pytest

URL = "/api/v1/repositories/files/assets/"


@pytest.fixture
def files(make_repository, add_file):
    repository = make_repository("files", "generic")
    add_file(repository, "app", "1.0", "app-1.0.zip", b"one")
    add_file(repository, "app", "2.0", "app-2.0.zip", b"two")
    add_file(repository, "lib", "1.0", "lib-1.0.zip", b"three")
    return repository


def paths(response) -> list[str]:
    return [row["path"] for row in response.json()["results"]]


def test_it_lists_files_with_sizes_and_hashes(api, files):
    body = api("GET", URL).json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["path"] == "app/1.0/app-1.0.zip"
    assert (first["package"], first["version"], first["size"]) == ("app", "1.0", 3)
    assert first["sha256"] == hashlib.sha256(b"one").hexdigest()
    assert first["hashes"]["sha512"] == hashlib.sha512(b"one").hexdigest()
    assert first["hashes"]["md5"] == hashlib.md5(b"one").hexdigest()
    assert first["cached"] is True


def test_it_gives_a_download_url_that_serves_the_file(api, client, files):
    row = api("GET", URL + "?filename=lib-1.0.zip").json()["results"][0]
    response = client.get(row["download_url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"three"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"sha256={hashlib.sha256(b'two').hexdigest()}", ["app/2.0/app-2.0.zip"]),
        (f"sha256={hashlib.sha256(b'two').hexdigest().upper()}", ["app/2.0/app-2.0.zip"]),
        ("path_prefix=app/", ["app/1.0/app-1.0.zip", "app/2.0/app-2.0.zip"]),
        ("package=lib", ["lib/1.0/lib-1.0.zip"]),
        ("package=app&version=2.0", ["app/2.0/app-2.0.zip"]),
        ("path=lib/1.0/lib-1.0.zip", ["lib/1.0/lib-1.0.zip"]),
        ("sha256=0000", []),
    ],
)
def test_it_filters(api, files, query, expected):
    assert paths(api("GET", f"{URL}?{query}")) == expected


def test_it_paginates(api, files):
    body = api("GET", URL + "?limit=2").json()
    assert len(body["results"]) == 2
    assert paths(api("GET", URL + "?limit=2&offset=2")) == ["lib/1.0/lib-1.0.zip"]


def test_it_shows_one_file_by_its_path(api, files):
    response = api("GET", URL + "app/2.0/app-2.0.zip")
    assert response.status_code == 200
    assert response.json()["url"] == f"http://testserver{URL}app/2.0/app-2.0.zip"
    missing = api("GET", URL + "app/9.0/app.zip")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no file app/9.0/app.zip in repository files"


def test_it_hides_files_of_private_repositories(api, outsider, reader, make_repository, add_file):
    repository = make_repository("secret", "generic", private=True)
    add_file(repository, "app", "1.0", "app.zip")
    url = "/api/v1/repositories/secret/assets/"
    assert api("GET", url).status_code == 401
    assert api("GET", url, user=outsider).status_code == 404
    assert api("GET", url + "app/1.0/app.zip", user=outsider).status_code == 404
    assert api("GET", url, user=reader).json()["count"] == 1


def test_it_takes_no_writes_but_deletion(api, admin, files):
    assert api("PUT", URL + "app/1.0/app-1.0.zip", user=admin, body={}).status_code == 405
    assert api("POST", URL, user=admin, body={}).status_code == 405
