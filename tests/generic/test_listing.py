"""Folder URLs list their entries: HTML for browsers, JSON on request, found by prefix."""

from urllib.parse import quote

import pytest
from django.db import connection

from tests.generic.conftest import DEPLOYER, READER, body, sha256

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def tree(repo, put):
    for path, data in [
        ("top.txt", b"top"),
        ("docs/readme.md", b"# hi"),
        ("docs/guide/intro.md", b"intro"),
        ("docs/guide/more.md", b"more!"),
        ("docsextra/other.txt", b"o"),
        ("Docs/upper.txt", b"U"),
    ]:
        assert put(repo, path, data).status_code == 201
    return repo


def test_it_lists_the_root_as_json_with_files_and_child_folders(tree, get):
    response = get(tree, "", **JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    listing = response.json()
    assert listing["path"] == ""
    assert [folder["name"] for folder in listing["folders"]] == ["Docs", "docs", "docsextra"]
    assert [file["name"] for file in listing["files"]] == ["top.txt"]
    top = listing["files"][0]
    assert top["size"] == 3
    assert top["sha256"] == sha256(b"top")
    assert top["url"] == "http://testserver/repository/files/top.txt"
    assert top["modified"].endswith("Z")


def test_it_lists_a_folder_without_its_siblings_sharing_the_prefix(tree, get):
    listing = get(tree, "docs/", **JSON).json()
    assert listing["path"] == "docs/"
    assert [file["path"] for file in listing["files"]] == ["docs/readme.md"]
    assert listing["folders"] == [
        {
            "name": "guide",
            "path": "docs/guide/",
            "url": "http://testserver/repository/files/docs/guide/",
            "files": 2,
            "size": 10,
            "modified": listing["folders"][0]["modified"],
        }
    ]


def test_it_lists_a_folder_named_without_its_trailing_slash(tree, get):
    listing = get(tree, "docs/guide", **JSON).json()
    assert [file["name"] for file in listing["files"]] == ["intro.md", "more.md"]


def test_it_keeps_folders_that_differ_only_in_case_apart(tree, get):
    assert [f["name"] for f in get(tree, "Docs/", **JSON).json()["files"]] == ["upper.txt"]


def test_it_answers_404_for_a_folder_with_nothing_in_it(tree, get):
    assert get(tree, "nothing/", **JSON).status_code == 404
    assert get(tree, "doc/", **JSON).status_code == 404


def test_it_lists_an_empty_repository_root(repo, get):
    listing = get(repo, "", **JSON).json()
    assert listing["folders"] == [] and listing["files"] == []


def test_it_also_answers_json_for_format_json(tree, get):
    assert get(tree, "docs/?format=json").json()["path"] == "docs/"


def test_it_renders_html_for_browsers_with_links_to_entries(tree, get):
    response = get(tree, "docs/", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = body(response).decode()
    assert 'href="http://testserver/repository/files/docs/guide/"' in html
    assert 'href="http://testserver/repository/files/docs/readme.md"' in html
    assert 'href="http://testserver/repository/files/" rel="up"' in html
    assert sha256(b"# hi") in html
    assert "docsextra" not in html


def test_it_links_odd_names_percent_encoded(repo, put, get):
    put(repo, quote("odd/a #1?.txt"), b"x")
    listing = get(repo, "odd/", **JSON).json()
    assert listing["files"][0]["url"] == "http://testserver/repository/files/odd/a%20%231%3F.txt"
    assert listing["files"][0]["name"] == "a #1?.txt"


def test_it_escapes_names_in_html(repo, put, get):
    put(repo, quote("<img src=x onerror=alert(1)>.txt"), b"x")
    html = body(get(repo, "")).decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in html


def test_it_lists_a_file_and_a_folder_of_the_same_name_side_by_side(repo, put, get):
    put(repo, "thing", b"file")
    put(repo, "thing/inside", b"in folder")
    listing = get(repo, "", **JSON).json()
    assert [f["name"] for f in listing["files"]] == ["thing"]
    assert [f["name"] for f in listing["folders"]] == ["thing"]
    assert body(get(repo, "thing")) == b"file"
    assert [f["name"] for f in get(repo, "thing/", **JSON).json()["files"]] == ["inside"]


def test_it_offers_the_upload_form_to_deployers_only(tree, get):
    assert "multipart/form-data" in body(get(tree, "docs/", auth=DEPLOYER)).decode()
    assert "multipart/form-data" not in body(get(tree, "docs/", auth=READER)).decode()
    assert "multipart/form-data" not in body(get(tree, "docs/")).decode()


def test_it_answers_304_when_the_listing_is_unchanged(tree, get, put):
    etag = get(tree, "docs/", **JSON)["ETag"]
    assert get(tree, "docs/", HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 304
    put(tree, "docs/new.txt", b"new")
    assert get(tree, "docs/", HTTP_IF_NONE_MATCH=etag, **JSON).status_code == 200


def test_it_answers_head_on_a_folder_without_a_body(tree, get):
    got = get(tree, "docs/", **JSON)
    head = get(tree, "docs/", method="head", **JSON)
    assert head.status_code == 200
    assert body(head) == b""
    assert head["Content-Length"] == got["Content-Length"]


def test_it_lists_with_a_fixed_number_of_queries_however_many_files(
    repo, put, get, django_assert_max_num_queries
):
    for index in range(30):
        put(repo, f"many/file-{index}.bin", str(index).encode())
        put(repo, f"many/sub-{index % 5}/file-{index}.bin", str(index).encode())
    with django_assert_max_num_queries(6):
        listing = get(repo, "many/", **JSON).json()
    assert len(listing["files"]) == 30
    assert len(listing["folders"]) == 5


def test_it_answers_401_to_anonymous_listing_of_a_private_repository(private_repo, get):
    assert get(private_repo, "", **JSON).status_code == 401


def test_it_lists_a_private_repository_for_its_reader(private_repo, get):
    assert get(private_repo, "", auth=READER, **JSON).status_code == 200


def test_it_has_a_pattern_index_for_prefix_queries_on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lists by range on the (repository, path) index")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'generic_asset_path_prefix'"
        )
        [(definition,)] = cursor.fetchall()
    assert "varchar_pattern_ops" in definition
