"""`pypi/<project>/json` and `pypi/<project>/<version>/json`, as PyPI answers them."""

import json

from repository.models import Version
from repository.services.packages import set_yanked
from tests.pypi.builders import make_wheel


def get_json(client, path: str, **headers) -> dict:
    response = client.get(f"/repository/py/pypi/{path}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_it_describes_the_project_and_all_releases(repo, upload, wheel, sdist, client):
    upload(repo, wheel)
    upload(repo, sdist)
    upload(repo, make_wheel("Tiny-Pkg", "1.10"))
    upload(repo, make_wheel("Tiny-Pkg", "2.0rc1"))
    document = get_json(client, "tiny-pkg/json")
    assert document["info"]["name"] == "Tiny-Pkg"
    assert document["info"]["version"] == "1.10"  # newest final release, not the rc
    assert document["info"]["summary"] == "A tiny package for tests"
    assert document["info"]["description_content_type"] == "text/markdown"
    assert document["info"]["classifiers"] == ["Programming Language :: Python"]
    assert list(document["releases"]) == ["1.0", "1.10", "2.0rc1"]
    assert {f["filename"] for f in document["releases"]["1.0"]} == {
        wheel.filename,
        sdist.filename,
    }
    assert [f["filename"] for f in document["urls"]] == ["tiny_pkg-1.10-py3-none-any.whl"]
    assert document["vulnerabilities"] == []
    assert isinstance(document["last_serial"], int)


def test_it_describes_files_with_digests_and_absolute_urls(repo, upload, wheel, client):
    upload(repo, wheel)
    file = get_json(client, "tiny-pkg/json", HTTP_HOST="mirror.example:8080")["urls"][0]
    assert file["url"] == (
        "http://mirror.example:8080/repository/py/files/tiny-pkg/1.0/" + wheel.filename
    )
    assert file["digests"]["sha256"] == wheel.sha256
    assert set(file["digests"]) == {"md5", "sha256", "blake2b_256"}
    assert file["packagetype"] == "bdist_wheel"
    assert file["python_version"] == "py3"
    assert file["requires_python"] == ">=3.8"
    assert file["size"] == len(wheel.data)
    assert file["upload_time_iso_8601"].endswith("Z")
    assert (file["yanked"], file["yanked_reason"]) == (False, None)


def test_it_describes_one_release_without_the_others(repo, upload, wheel, client):
    upload(repo, wheel)
    upload(repo, make_wheel("Tiny-Pkg", "2.0"))
    document = get_json(client, "Tiny_Pkg/1.0/json")
    assert document["info"]["version"] == "1.0"
    assert "releases" not in document
    assert [f["filename"] for f in document["urls"]] == [wheel.filename]


def test_it_reports_yanked_releases(repo, upload, wheel, client):
    upload(repo, wheel)
    upload(repo, make_wheel("Tiny-Pkg", "2.0"))
    set_yanked(Version.objects.get(version="2.0"), True, "broken")
    document = get_json(client, "tiny-pkg/json")
    assert document["info"]["version"] == "1.0"
    yanked = document["releases"]["2.0"][0]
    assert (yanked["yanked"], yanked["yanked_reason"]) == (True, "broken")


def test_it_answers_404_for_unknown_projects_and_versions(repo, upload, wheel, client):
    upload(repo, wheel)
    assert client.get("/repository/py/pypi/nothing/json").status_code == 404
    assert client.get("/repository/py/pypi/tiny-pkg/9.9/json").status_code == 404


def test_it_asks_anonymous_clients_of_a_private_repository_to_authenticate(private_repo, client):
    assert client.get("/repository/secret/pypi/tiny-pkg/json").status_code == 401


def test_it_answers_405_to_a_post(repo, upload, wheel, client):
    upload(repo, wheel)
    assert client.post("/repository/py/pypi/tiny-pkg/json").status_code == 405
