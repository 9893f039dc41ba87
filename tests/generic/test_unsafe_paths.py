"""Unsafe paths over HTTP: a clear 400 for every method, and nothing stored."""

import pytest

from repository.models import Asset
from tests.generic.conftest import MAINTAINER

UNSAFE = [
    ("../outside.txt", "'..' segments"),
    ("a/../../outside.txt", "'..' segments"),
    ("%2e%2e/outside.txt", "'..' segments"),
    ("a/%2E%2E/%2e%2e/outside.txt", "'..' segments"),
    ("./a.txt", "'.' segments"),
    ("/etc/passwd", "absolute paths"),
    ("a//b.txt", "empty segments"),
    ("a%5C..%5Cb.txt", "backslashes"),
    ("a%00.txt", "control characters"),
    ("a%1B%5B2J.txt", "control characters"),
    ("a%09b.txt", "control characters"),
    ("a%0Ab.txt", "control characters"),
    ("cafe%CC%81.txt", "NFC"),
    ("a" * 256, "longer than 255 bytes"),
    ("/".join(["a" * 200] * 6), "longer than 1024 bytes"),
]


@pytest.mark.parametrize(("path", "reason"), UNSAFE)
def test_it_refuses_an_unsafe_upload_path_and_stores_nothing(repo, put, path, reason):
    response = put(repo, path, b"x")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert reason in response.content.decode()
    assert not Asset.objects.exists()


@pytest.mark.parametrize(("path", "reason"), UNSAFE[:6])
def test_it_refuses_unsafe_paths_on_reads_and_deletes_too(maintainer, repo, client, path, reason):
    for method in ("get", "head", "delete"):
        response = getattr(client, method)(
            f"/repository/files/{path}", HTTP_AUTHORIZATION=MAINTAINER
        )
        assert response.status_code == 400, method


def test_it_cannot_reach_another_repository_through_dot_dot(make_repository, repo, put, get):
    other = make_repository("other", "generic")
    put(other, "secret.txt", b"other's")
    assert get(repo, "../other/secret.txt").status_code == 400
    assert put(repo, "../other/secret.txt", b"overwrite").status_code == 400
    assert Asset.objects.get(repository=other).blob.size == len(b"other's")
