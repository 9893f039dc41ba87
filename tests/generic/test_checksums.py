"""X-Checksum-* on PUT: verified against the received bytes; a mismatch stores nothing."""

import hashlib

import pytest

from repository.models import Asset
from tests.generic.conftest import DEPLOYER, ExplodingStream, url

DATA = b"release bytes\n"
DIGESTS = {
    "HTTP_X_CHECKSUM_SHA256": hashlib.sha256(DATA).hexdigest(),
    "HTTP_X_CHECKSUM_SHA1": hashlib.sha1(DATA).hexdigest(),
    "HTTP_X_CHECKSUM_MD5": hashlib.md5(DATA).hexdigest(),
}


def test_it_accepts_an_upload_whose_declared_checksums_all_match(repo, put):
    assert put(repo, "a.bin", DATA, **DIGESTS).status_code == 201


def test_it_accepts_uppercase_hex(repo, put):
    upper = DIGESTS["HTTP_X_CHECKSUM_SHA256"].upper()
    assert put(repo, "a.bin", DATA, HTTP_X_CHECKSUM_SHA256=upper).status_code == 201


@pytest.mark.parametrize("header", sorted(DIGESTS))
def test_it_refuses_a_mismatch_with_400_and_stores_nothing(repo, put, header):
    wrong = {**DIGESTS, header: DIGESTS[header][::-1]}
    response = put(repo, "a.bin", DATA, **wrong)
    assert response.status_code == 400
    name = header.removeprefix("HTTP_").replace("_", "-").title()
    assert f"{name} mismatch" in response.content.decode()
    assert not Asset.objects.exists()


def test_it_keeps_the_existing_file_when_a_reupload_has_a_wrong_checksum(make_repository, put):
    repo = make_repository("snapshots", "generic", redeploy_policy="allowed")
    put(repo, "a.bin", DATA)
    response = put(repo, "a.bin", b"other", HTTP_X_CHECKSUM_SHA256="0" * 64)
    assert response.status_code == 400
    assert Asset.objects.get(path="a.bin").blob_id == DIGESTS["HTTP_X_CHECKSUM_SHA256"]


@pytest.mark.parametrize("value", ["abc", "g" * 64, "0" * 63, "0" * 65])
def test_it_refuses_a_malformed_checksum_before_reading_the_body(repo, client, value):
    response = client.generic(
        "PUT",
        url(repo, "a.bin"),
        **{
            "HTTP_AUTHORIZATION": DEPLOYER,
            "HTTP_X_CHECKSUM_SHA256": value,
            "CONTENT_LENGTH": "5",
            "wsgi.input": ExplodingStream(),
        },
    )
    assert response.status_code == 400
    assert "X-Checksum-Sha256 must be 64 hexadecimal digits" in response.content.decode()


def test_it_answers_a_mismatch_as_json_when_asked(repo, put):
    response = put(
        repo, "a.bin", DATA, HTTP_X_CHECKSUM_MD5="0" * 32, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "X-Checksum-Md5 mismatch" in response.json()["error"]
