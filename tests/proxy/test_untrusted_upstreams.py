"""What a PyPI proxy does with an upstream it must not trust: documents with hostile or
broken entries, metadata that is not what was promised, names its rules deny asked for
sideways, and credentials given for another host. Against pypiserver and devpi behind
the faulting front."""

import json

import pytest
from django.test import Client

from repository.models import Asset, Sidecar
from repository.proxy.freshness import forget as invalidate
from repository.proxy.settings import clean_proxy_settings
from repository.services.repositories import create_repository

pytestmark = pytest.mark.django_db(transaction=True)

SIX = "six-1.17.0-py2.py3-none-any.whl"


def proxy_of(upstream_url: str, **options):
    return create_repository(
        "py-proxy", "pypi", kind="proxy", settings={"proxy": {"upstream": upstream_url, **options}}
    )


def crafted_page(front, project: str, links: list[str]) -> None:
    """The upstream answers `project`'s page with these anchors (a PEP 503 page)."""
    body = "<html><body>" + "".join(links) + "</body></html>"
    front.fault(
        path=f"/simple/{project}/",
        status=200,
        body=body.encode(),
        headers=(("Content-Type", "text/html"),),
    )


def test_filenames_that_are_paths_are_left_out_of_the_page(pypiserver):
    proxy_of(pypiserver.index_url)
    crafted_page(
        pypiserver.front,
        "evil",
        [
            '<a href="/x#sha256=' + "a" * 64 + '">evil-1.0-py3-none-any/../../../other/x.whl</a>',
            '<a href="/y#sha256=' + "b" * 64 + '">evil-1.0-py3-none-any.whl</a>',
        ],
    )
    page = Client().get("/repository/py-proxy/simple/evil/?format=json").json()
    assert [file["filename"] for file in page["files"]] == ["evil-1.0-py3-none-any.whl"]
    assert not Asset.objects.filter(path__contains="..").exists()


def test_a_file_listed_twice_is_mirrored_once(pypiserver):
    proxy_of(pypiserver.index_url)
    link = '<a href="/y#sha256=' + "b" * 64 + '">twice-1.0-py3-none-any.whl</a>'
    crafted_page(pypiserver.front, "twice", [link, link])
    response = Client().get("/repository/py-proxy/simple/twice/")
    assert response.status_code == 200
    assert Asset.objects.filter(filename="twice-1.0-py3-none-any.whl").count() == 1


def test_a_page_with_only_md5_links_them_by_md5_not_by_a_missing_sha256(pypiserver):
    proxy_of(pypiserver.index_url)
    crafted_page(
        pypiserver.front,
        "old-style",
        ['<a href="/z#md5=' + "c" * 32 + '">old_style-1.0.tar.gz</a>'],
    )
    page = Client().get("/repository/py-proxy/simple/old-style/").content.decode()
    assert "#md5=" + "c" * 32 in page
    assert "sha256=None" not in page


def test_a_json_page_with_broken_entries_is_an_upstream_error_or_skipped(pypiserver):
    proxy_of(pypiserver.index_url)
    body = {"meta": {"api-version": "1.1"}, "name": "broken", "files": [7, {"filename": "x"}]}
    pypiserver.front.fault(
        path="/simple/broken/",
        status=200,
        body=json.dumps(body).encode(),
        headers=(("Content-Type", "application/vnd.pypi.simple.v1+json"),),
    )
    response = Client().get("/repository/py-proxy/simple/broken/?format=json")
    assert response.status_code == 200
    assert response.json()["files"] == []
    pypiserver.front.fault(
        path="/simple/worse/",
        status=200,
        body=b'{"files": {"not": "a list"}}',
        headers=(("Content-Type", "application/vnd.pypi.simple.v1+json"),),
    )
    response = Client().get("/repository/py-proxy/simple/worse/")
    assert response.status_code == 502
    assert "unreadable index document" in response.content.decode()


def test_metadata_that_does_not_match_its_published_hash_is_refused(pypiserver):
    proxy_of(pypiserver.index_url)
    client = Client()
    assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    real_url = Asset.objects.get(filename=SIX).upstream["url"]
    wrong = "0" * 64
    crafted_page(
        pypiserver.front,
        "six",
        [f'<a href="{real_url}" data-core-metadata="sha256={wrong}">{SIX}</a>'],
    )
    invalidate(Asset.objects.get(filename=SIX).repository, "six")
    assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    wheel = Asset.objects.get(filename=SIX)
    assert wheel.metadata["upstream_core_metadata"] == wrong
    response = client.get(f"/repository/py-proxy/{wheel.path}.metadata")
    assert response.status_code == 502
    assert "not " + wrong in response.content.decode()
    assert not Sidecar.objects.filter(asset=wheel).exists()


def test_a_denied_name_is_not_asked_for_through_a_file_url_spelled_otherwise(pypiserver):
    proxy_of(pypiserver.index_url, deny=["six"])
    response = Client().get(f"/repository/py-proxy/files/Six/1.17.0/{SIX}")
    assert response.status_code == 404
    assert pypiserver.front.requests() == 0


def test_credentials_do_not_follow_the_upstream_to_another_host():
    stored = clean_proxy_settings(
        {"upstream": "https://upstream.example/simple/", "auth": {"token": "secret"}}
    )
    same = clean_proxy_settings({"upstream": "https://upstream.example/other/"}, current=stored)
    moved = clean_proxy_settings({"upstream": "https://elsewhere.example/simple/"}, current=stored)
    assert same["auth"] == {"token": "secret"}
    assert moved["auth"] is None
    with pytest.raises(ValueError, match="send the credentials themselves"):
        clean_proxy_settings(
            {"upstream": "https://elsewhere.example/", "auth": {"type": "bearer"}}, current=stored
        )
