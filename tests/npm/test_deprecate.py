"""npm deprecate / undeprecate: GET ?write=true, then PUT the document back."""

import pytest

from repository.models import AuditEvent, Version
from tests.npm.conftest import REPO


@pytest.fixture
def published(publish):
    publish("demo", "1.0.0")
    publish("demo", "1.1.0")


def _deprecate(client, put_json, auth, message, versions=("1.0.0",)):
    document = client.get(f"{REPO}/demo?write=true").json()
    for version in versions:
        document["versions"][version]["deprecated"] = message
    return put_json("/demo", document, **auth)


def test_it_deprecates_a_version(client, published, put_json, maintainer_auth):
    response = _deprecate(client, put_json, maintainer_auth, "use 1.1.0")
    assert response.status_code == 200
    document = client.get(f"{REPO}/demo").json()
    assert document["versions"]["1.0.0"]["deprecated"] == "use 1.1.0"
    assert "deprecated" not in document["versions"]["1.1.0"]
    event = AuditEvent.objects.get(action="npm.deprecate")
    assert event.details == {"messages": {"1.0.0": "use 1.1.0"}}


def test_it_undeprecates_with_an_empty_message(client, published, put_json, maintainer_auth):
    _deprecate(client, put_json, maintainer_auth, "old")
    _deprecate(client, put_json, maintainer_auth, "")
    assert Version.objects.get(version="1.0.0").deprecated == ""
    assert "deprecated" not in client.get(f"{REPO}/demo").json()["versions"]["1.0.0"]


def test_it_deprecates_in_immutable_repositories(client, published, put_json, maintainer_auth):
    assert _deprecate(client, put_json, maintainer_auth, "old").status_code == 200


def test_it_refuses_a_stale_revision(client, published, put_json, maintainer_auth, publish):
    document = client.get(f"{REPO}/demo?write=true").json()
    publish("demo", "1.2.0")
    document["versions"]["1.0.0"]["deprecated"] = "old"
    response = put_json("/demo", document, **maintainer_auth)
    assert response.status_code == 409
    assert Version.objects.get(version="1.0.0").deprecated == ""


def test_it_forbids_readers(client, published, put_json, reader_auth):
    assert _deprecate(client, put_json, reader_auth, "old").status_code == 403


def test_it_asks_anonymous_callers_to_authenticate(client, published, put_json):
    assert _deprecate(client, put_json, {}, "old").status_code == 401


def test_it_answers_404_for_unknown_packages(npm_repository, put_json, maintainer_auth):
    response = put_json("/nothing", {"versions": {}}, **maintainer_auth)
    assert response.status_code == 404


def test_it_refuses_a_deprecation_too_long_to_hold(client, published, put_json, maintainer_auth):
    response = _deprecate(client, put_json, maintainer_auth, "x" * 70_000)
    assert response.status_code == 400
    assert Version.objects.get(version="1.0.0").deprecated == ""
