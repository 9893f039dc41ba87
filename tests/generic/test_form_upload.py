"""POST a multipart form to a folder URL: `file`, optional `path`; for browsers and scripts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from repository.models import Asset, AuditEvent
from tests.generic.conftest import DEPLOYER, READER, url


def form(name: str = "report.pdf", data: bytes = b"%PDF-1.7", **fields) -> dict:
    return {"file": SimpleUploadedFile(name, data), **fields}


@pytest.fixture
def post(client):
    def send(repository, path: str, fields: dict, *, auth: str | None = DEPLOYER, **headers):
        if auth:
            headers["HTTP_AUTHORIZATION"] = auth
        return client.post(url(repository, path), fields, **headers)

    return send


def test_it_stores_the_file_under_its_own_name_in_the_folder(repo, post):
    response = post(repo, "reports/2024/", form())
    assert response.status_code == 201
    assert response["Location"].endswith("/repository/files/reports/2024/report.pdf")
    asset = Asset.objects.get(repository=repo)
    assert asset.path == "reports/2024/report.pdf"
    assert asset.blob.size == len(b"%PDF-1.7")
    assert AuditEvent.objects.filter(action="asset.upload", target=asset.path).exists()


def test_it_treats_the_url_as_a_folder_with_or_without_its_slash(repo, post):
    assert post(repo, "reports", form()).status_code == 201
    assert Asset.objects.get(repository=repo).path == "reports/report.pdf"


def test_it_stores_at_the_root(repo, post):
    assert post(repo, "", form()).status_code == 201
    assert Asset.objects.get(repository=repo).path == "report.pdf"


def test_it_uses_the_path_field_below_the_folder(repo, post):
    assert post(repo, "reports/", form(path="q1/final.pdf")).status_code == 201
    assert Asset.objects.get(repository=repo).path == "reports/q1/final.pdf"


def test_it_keeps_the_file_name_when_the_path_field_names_a_subfolder(repo, post):
    assert post(repo, "reports/", form(path="q1/")).status_code == 201
    assert Asset.objects.get(repository=repo).path == "reports/q1/report.pdf"


def test_it_follows_the_write_policy_like_put(repo, post):
    assert post(repo, "", form(data=b"one")).status_code == 201
    assert post(repo, "", form(data=b"one")).status_code == 200
    assert post(repo, "", form(data=b"two")).status_code == 409


def test_it_verifies_declared_checksums(repo, post):
    response = post(repo, "", form(), HTTP_X_CHECKSUM_SHA256="0" * 64)
    assert response.status_code == 400
    assert not Asset.objects.exists()


def test_it_refuses_a_path_field_that_climbs_out(repo, post):
    response = post(repo, "reports/", form(path="../../etc/passwd"))
    assert response.status_code == 400
    assert "'..' segments" in response.content.decode()
    assert not Asset.objects.exists()


def test_it_asks_for_the_file_field_when_it_is_missing(repo, post):
    response = post(repo, "", {"path": "x.txt"})
    assert response.status_code == 400
    assert "'file'" in response.content.decode()


def test_it_sends_browsers_back_to_the_folder_listing(repo, post):
    response = post(repo, "reports/", form(), HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert response.status_code == 303
    assert response["Location"] == "http://testserver/repository/files/reports/"


def test_it_answers_json_to_scripts_that_ask(repo, post):
    response = post(repo, "", form(), HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    assert response.json()["path"] == "report.pdf"


def test_it_answers_401_to_anonymous_and_403_to_readers(repo, post):
    assert post(repo, "", form(), auth=None).status_code == 401
    assert post(repo, "", form(), auth=READER).status_code == 403
    assert not Asset.objects.exists()


def test_it_requires_the_csrf_token_from_a_signed_in_browser(repo, deployer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(deployer)
    refused = browser.post(url(repo, ""), form())
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    assert not Asset.objects.exists()

    browser.get(url(repo, ""), HTTP_ACCEPT="text/html")  # the listing sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(url(repo, ""), form(csrfmiddlewaretoken=token))
    assert accepted.status_code == 201


def test_it_needs_no_csrf_token_with_credentials_in_the_header(repo):
    script = Client(enforce_csrf_checks=True)
    response = script.post(url(repo, ""), form(), HTTP_AUTHORIZATION=DEPLOYER)
    assert response.status_code == 201
