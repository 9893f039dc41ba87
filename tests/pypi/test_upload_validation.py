"""The file is the truth: a form, filename or digest that disagrees with it is refused."""

import hashlib

import pytest

from repository.models import Asset, Package
from tests.pypi.builders import core_metadata, make_wheel


def assert_refused(response, phrase: str, status: int = 400):
    assert response.status_code == status
    assert phrase in response.reason_phrase
    assert phrase in response.content.decode()


def assert_nothing_recorded(repo):
    assert not Package.objects.filter(repository=repo).exists()
    assert not Asset.objects.filter(repository=repo).exists()


def test_it_refuses_a_sha256_digest_that_does_not_match(repo, upload, wheel):
    response = upload(repo, wheel, sha256_digest="0" * 64)
    assert_refused(response, "digest supplied does not match")
    assert_nothing_recorded(repo)


def test_it_refuses_a_blake2_digest_that_does_not_match_even_with_a_good_sha256(
    repo, upload, wheel
):
    response = upload(repo, wheel, blake2_256_digest="ab" * 32)
    assert_refused(response, "digest supplied does not match")
    assert_nothing_recorded(repo)


def test_it_refuses_an_md5_digest_that_does_not_match(repo, upload, wheel):
    response = upload(repo, wheel, md5_digest=hashlib.md5(b"other").hexdigest())
    assert_refused(response, "digest supplied does not match")


def test_it_requires_at_least_one_digest(repo, upload, wheel):
    response = upload(repo, wheel, sha256_digest=None, blake2_256_digest=None)
    assert_refused(response, "at least one message digest")
    assert_nothing_recorded(repo)


def test_it_refuses_a_form_name_other_than_the_files(repo, upload, wheel):
    response = upload(repo, wheel, name="other-pkg")
    assert_refused(response, "does not match the file's metadata name")
    assert_nothing_recorded(repo)


def test_it_accepts_a_form_name_spelled_differently_but_equal_once_normalized(repo, upload, wheel):
    assert upload(repo, wheel, name="tiny_pkg").status_code == 200


def test_it_refuses_a_form_version_other_than_the_files(repo, upload, wheel):
    response = upload(repo, wheel, version="2.0")
    assert_refused(response, "does not match the file's metadata version")
    assert_nothing_recorded(repo)


def test_it_refuses_a_filename_that_disagrees_with_the_metadata(repo, upload):
    liar = make_wheel("tiny-pkg", "1.0", metadata=core_metadata("tiny-pkg", "9.9"))
    response = upload(repo, liar, version="9.9")
    assert_refused(response, "does not match the file's metadata")
    assert_nothing_recorded(repo)


@pytest.mark.parametrize("filetype", ["bdist_egg", "bdist_wininst", "sdist"])
def test_it_refuses_a_filetype_that_is_unsupported_or_not_the_files(repo, upload, wheel, filetype):
    response = upload(repo, wheel, filetype=filetype)
    assert_refused(response, "filetype")
    assert_nothing_recorded(repo)


def test_it_refuses_a_file_that_is_not_a_distribution(repo, upload, wheel):
    from dataclasses import replace

    egg = replace(wheel, filename="tiny_pkg-1.0-py3.11.egg")
    response = upload(repo, egg, filetype="bdist_egg")
    assert_refused(response, "Unsupported filetype")


def test_it_refuses_invalid_core_metadata(repo, upload):
    broken = make_wheel(
        "tiny-pkg",
        "1.0",
        metadata=b"Metadata-Version: 2.1\nName: tiny-pkg\nVersion: 1.0\nRequires-Python: >=>3\n",
    )
    response = upload(repo, broken)
    assert_refused(response, "Invalid metadata")
    assert_nothing_recorded(repo)


def test_it_refuses_an_unknown_action(repo, upload, wheel):
    response = upload(repo, wheel, **{":action": "submit"})
    assert_refused(response, "Unsupported :action")


def test_it_refuses_a_form_without_a_file(repo, client, wheel):
    from tests.pypi.conftest import DEPLOYER, form_for

    fields = form_for(wheel, content=None)
    response = client.post("/repository/py/legacy/", fields, HTTP_AUTHORIZATION=DEPLOYER)
    assert_refused(response, "no file")


def test_it_refuses_uploads_to_a_repository_that_is_not_hosted(make_repository, upload, wheel):
    proxy = make_repository("mirror", "pypi", kind="proxy")
    response = upload(proxy, wheel)
    assert_refused(response, "upload to a hosted one", status=405)
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    ("declared", "field"),
    [
        ("2.1", "License-File: LICENSE"),  # setuptools before 77 wrote this
        ("2.3", "License-Expression: MIT"),
        ("2.0", "Requires-Dist: requests"),  # wheel before 0.31 declared 2.0
    ],
)
def test_it_accepts_fields_newer_than_the_declared_metadata_version(repo, upload, declared, field):
    text = core_metadata("tiny-pkg", "1.0", extra=(field,)).replace(
        b"Metadata-Version: 2.1", f"Metadata-Version: {declared}".encode()
    )
    assert upload(repo, make_wheel("tiny-pkg", "1.0", metadata=text)).status_code == 200


def test_it_refuses_an_unknown_metadata_version(repo, upload):
    text = core_metadata("tiny-pkg", "1.0").replace(b"2.1", b"9.9", 1)
    response = upload(repo, make_wheel("tiny-pkg", "1.0", metadata=text))
    assert_refused(response, "not a valid metadata version")
