"""POST /api/v1/repositories/<name>/warm/: a proxy's cache filled from a lock file's text or
a list, by a worker (run here once the request commits); GET .../warm/<id>/ shows progress."""

import pytest

from repository.models import Asset, AuditEvent, RepositoryRole, Role
from tests.proxy.helpers import pypi_proxy

pytestmark = pytest.mark.usefixtures("eager_tasks")

SIX_WHEEL = "six-1.17.0-py2.py3-none-any.whl"
URL = "/api/v1/repositories/py-proxy/warm/"


@pytest.fixture
def proxy(pypiserver, make_user):
    """py-proxy of pypiserver; `owner` administers it (and only it)."""
    repository = pypi_proxy("py-proxy", pypiserver.index_url)
    owner = make_user("owner")
    RepositoryRole.objects.create(user=owner, repository=repository, role=Role.ADMIN)
    return owner


@pytest.fixture
def warm(api, django_capture_on_commit_callbacks):
    def post(user, body, url=URL):
        with django_capture_on_commit_callbacks(execute=True):
            return api("POST", url, user=user, body=body)

    return post


def cached() -> set[str]:
    found = Asset.objects.filter(repository__name="py-proxy", blob__isnull=False)
    return set(found.values_list("filename", flat=True))


def test_an_admin_warms_from_a_files_text_and_reads_the_progress(api, proxy, warm, pypiserver):
    response = warm(proxy, {"file": "six==1.17.0\nidna==3.10\n"})
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["items_total"], body["items_done"]) == ("queued", 2, 0)
    assert response["Location"] == f"http://testserver{URL}{body['id']}/"
    progress = api("GET", response["Location"], user=proxy).json()
    assert (progress["status"], progress["items_done"], progress["files_fetched"]) == (
        "finished",
        2,
        2,
    )
    assert progress["bytes_fetched"] == sum(
        asset.blob.size for asset in Asset.objects.filter(blob__isnull=False)
    )
    assert cached() == {SIX_WHEEL, "idna-3.10-py3-none-any.whl"}
    assert pypiserver.front.requests(f"*/{SIX_WHEEL}") == 1
    event = AuditEvent.objects.get(action="proxy.warm")
    assert (event.actor_name, event.repository_name, event.target) == (
        "owner",
        "py-proxy",
        body["id"],
    )


def test_a_list_pins_some_items_and_names_others(api, proxy, warm, pypiserver):
    body = warm(proxy, {"items": [{"name": "six", "version": "1.17.0"}, "idna"]}).json()
    progress = api("GET", body["url"], user=proxy).json()
    assert (progress["items_done"], progress["files_fetched"]) == (2, 1)
    assert cached() == {SIX_WHEEL}
    assert pypiserver.front.requests("/simple/idna/") == 1


def test_items_that_cannot_be_warmed_are_errors_on_the_record(api, proxy, warm):
    body = warm(proxy, {"items": [{"name": "six", "version": "9.9"}]}).json()
    progress = api("GET", body["url"], user=proxy).json()
    assert (progress["status"], progress["error_count"]) == ("finished", 1)
    assert progress["errors"] == ["six 9.9: the upstream has no such version"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"file": "six==1.17.0\nnot a requirement\n"}, "line 2: not a requirement: "),
        ({"file": "# nothing\n"}, "nothing to warm: no package or file is named"),
        ({"file": "six", "items": ["six"]}, "send either `file` (a lock file's text) or"),
        ({}, "send either `file`"),
        ({"items": "six"}, "items must be a list"),
        ({"items": [{"version": "1.0"}]}, 'each item is a name or {"name": ...'),
        ({"file": ["six"]}, "file must be the lock file's text"),
    ],
)
def test_it_refuses_unreadable_input(proxy, warm, body, detail, pypiserver):
    response = warm(proxy, body)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)
    assert pypiserver.front.requests() == 0


def test_only_a_proxy_can_be_warmed(admin, make_repository, warm):
    make_repository("py", "pypi")
    response = warm(admin, {"file": "six==1.17.0\n"}, "/api/v1/repositories/py/warm/")
    assert response.status_code == 400
    assert response.json()["detail"] == "py is a hosted repository: only proxies can be warmed"


def test_it_needs_the_admin_role_on_the_repository(api, proxy, admin, deployer, warm):
    body = {"file": "six==1.17.0\n"}
    assert warm(None, body).status_code == 401
    refused = warm(deployer, body)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "you may not warm the cache of py-proxy (needs the admin role)"
    )
    assert warm(admin, body, "/api/v1/repositories/nope/warm/").status_code == 404
    assert api("GET", URL, user=admin).status_code == 405
    assert not cached()


def test_a_warm_is_read_only_under_its_own_repository(api, proxy, admin, warm, make_repository):
    body = warm(proxy, {"items": ["six"]}).json()
    assert api("GET", body["url"], user=admin).status_code == 200
    assert api("GET", URL + "0123abc/", user=admin).status_code == 404
    make_repository("other", "pypi")
    other = f"/api/v1/repositories/other/warm/{body['id']}/"
    assert api("GET", other, user=admin).status_code == 404
    assert api("GET", body["url"]).status_code == 401
