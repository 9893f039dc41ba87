"""An upload sent to the simple index (a common twine misconfiguration) says where to go."""

import pytest

LEGACY = "http://testserver/repository/py/legacy/"


@pytest.mark.parametrize("path", ["simple/", "simple", "simple/tiny-pkg/"])
def test_it_points_uploads_at_the_legacy_url(repo, client, path):
    response = client.post(f"/repository/py/{path}", {":action": "file_upload"})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.reason_phrase == f"Method POST not allowed: uploads go to {LEGACY}"
    assert response.content.decode() == f"405 Method POST not allowed: uploads go to {LEGACY}\n"


def test_it_still_serves_the_index(repo, client):
    assert client.get("/repository/py/simple/").status_code == 200
