"""`simple/<project>/`: one link per file with hashes, requires-python, yank and metadata."""

import hashlib
import json
import re
from urllib.parse import urljoin

from repository.models import Version
from repository.services.packages import set_yanked
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import READER

PAGE = "/repository/py/simple/tiny-pkg/"
JSON = "application/vnd.pypi.simple.v1+json"


def links(body: str) -> dict[str, str]:
    """filename -> the <a> tag's attributes."""
    return {m[2]: m[1] for m in re.finditer(r"<a ([^>]*)>([^<]*)</a>", body)}


def test_it_links_every_file_with_its_sha256(repo, upload, wheel, sdist, client):
    upload(repo, wheel)
    upload(repo, sdist)
    body = client.get(PAGE).content.decode()
    assert "<title>Links for tiny-pkg</title>" in body
    assert '<meta name="pypi:repository-version" content="1.1">' in body
    found = links(body)
    assert set(found) == {wheel.filename, sdist.filename}
    assert f"#sha256={wheel.sha256}" in found[wheel.filename]
    assert f"#sha256={sdist.sha256}" in found[sdist.filename]


def test_it_links_files_that_download_from_the_same_host(repo, upload, wheel, client):
    upload(repo, wheel)
    href = re.search(r'href="([^"#]+)', links(client.get(PAGE).content.decode())[wheel.filename])
    url = urljoin("http://testserver" + PAGE, href[1])
    assert url.startswith("http://testserver/repository/py/files/")
    assert client.get(url).getvalue() == wheel.data


def test_it_escapes_requires_python(repo, upload, wheel, client):
    upload(repo, wheel)
    assert (
        'data-requires-python="&gt;=3.8"'
        in links(client.get(PAGE).content.decode())[wheel.filename]
    )


def test_it_advertises_core_metadata_for_wheels_only(repo, upload, wheel, sdist, client):
    upload(repo, wheel)
    upload(repo, sdist)
    found = links(client.get(PAGE).content.decode())
    digest = hashlib.sha256(wheel.metadata).hexdigest()
    assert f'data-core-metadata="sha256={digest}"' in found[wheel.filename]
    assert f'data-dist-info-metadata="sha256={digest}"' in found[wheel.filename]
    assert "metadata" not in found[sdist.filename]


def test_it_marks_yanked_files_with_the_reason(repo, upload, wheel, client):
    upload(repo, wheel)
    set_yanked(Version.objects.get(version="1.0"), True, 'broken <"build">')
    tag = links(client.get(PAGE).content.decode())[wheel.filename]
    assert 'data-yanked="broken &lt;&quot;build&quot;&gt;"' in tag


def test_it_marks_yanked_files_without_a_reason(repo, upload, wheel, client):
    upload(repo, wheel)
    set_yanked(Version.objects.get(version="1.0"), True)
    assert 'data-yanked=""' in links(client.get(PAGE).content.decode())[wheel.filename]


def test_it_describes_files_as_pep_691_json(repo, upload, wheel, sdist, client):
    upload(repo, wheel)
    upload(repo, sdist)
    upload(repo, make_wheel("Tiny-Pkg", "1.10"))
    upload(repo, make_wheel("Tiny-Pkg", "1.9"))
    page = json.loads(client.get(PAGE, HTTP_ACCEPT=JSON).content)
    assert page["meta"] == {"api-version": "1.1"}
    assert page["name"] == "tiny-pkg"
    assert page["versions"] == ["1.0", "1.9", "1.10"]
    entry = next(f for f in page["files"] if f["filename"] == wheel.filename)
    assert entry["hashes"] == {"sha256": wheel.sha256}
    assert entry["size"] == len(wheel.data)
    assert entry["requires-python"] == ">=3.8"
    assert entry["yanked"] is False
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", entry["upload-time"])
    digest = hashlib.sha256(wheel.metadata).hexdigest()
    assert entry["core-metadata"] == entry["dist-info-metadata"] == {"sha256": digest}
    sdist_entry = next(f for f in page["files"] if f["filename"] == sdist.filename)
    assert sdist_entry["core-metadata"] is False


def test_it_reports_yanks_in_json(repo, upload, wheel, client):
    upload(repo, wheel)
    set_yanked(Version.objects.get(version="1.0"), True, "bad")
    page = json.loads(client.get(PAGE, HTTP_ACCEPT=JSON).content)
    assert page["files"][0]["yanked"] == "bad"
    set_yanked(Version.objects.get(version="1.0"), True)
    page = json.loads(client.get(PAGE, HTTP_ACCEPT=JSON).content)
    assert page["files"][0]["yanked"] is True


def test_it_shows_a_new_file_on_the_very_next_read(repo, upload, wheel, sdist, client):
    upload(repo, wheel)
    assert sdist.filename not in client.get(PAGE).content.decode()
    upload(repo, sdist)
    assert sdist.filename in client.get(PAGE).content.decode()


def test_it_answers_404_for_an_unknown_project(repo, client):
    assert client.get("/repository/py/simple/nothing-here/").status_code == 404


def test_it_answers_405_to_a_post(repo, upload, wheel, client):
    upload(repo, wheel)
    assert client.post(PAGE).status_code == 405


def test_it_asks_anonymous_clients_of_a_private_repository_to_authenticate(
    private_repo, upload, wheel, client
):
    upload(private_repo, wheel)
    response = client.get("/repository/secret/simple/tiny-pkg/")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response
    ok = client.get("/repository/secret/simple/tiny-pkg/", HTTP_AUTHORIZATION=READER)
    assert ok.status_code == 200


def test_it_answers_401_not_404_for_unknown_projects_of_a_private_repository(private_repo, client):
    assert client.get("/repository/secret/simple/nothing/").status_code == 401


def test_it_answers_conditional_requests_with_304(repo, upload, wheel, client):
    upload(repo, wheel)
    etag = client.get(PAGE)["ETag"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 304
