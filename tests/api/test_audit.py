"""GET /api/v1/audit/: global admins see every event, a repository's admins its events,
others none; filters; CSV export; nothing changes or deletes an event."""

import csv
import io

import pytest

from repository.audit import record
from repository.models import AuditEvent, RepositoryRole, Role

URL = "/api/v1/audit/"


@pytest.fixture
def events(make_repository, deployer, admin):
    team = make_repository("team", "generic")
    other = make_repository("other", "generic")
    record(None, "asset.create", repository=team, target="a.bin", actor=deployer)
    record(None, "asset.delete", repository=other, target="b.bin", actor=admin)
    record(None, "auth.login", target="mallory", failed=True)
    return team, other


def _actions(response) -> list[str]:
    return [row["action"] for row in response.json()["results"]]


def test_a_superuser_sees_and_filters_everything(api, admin, events):
    assert sorted(_actions(api("GET", URL, user=admin))) == [
        "asset.create",
        "asset.delete",
        "auth.login",
    ]
    assert _actions(api("GET", URL + "?repository=team", user=admin)) == ["asset.create"]
    assert _actions(api("GET", URL + "?actor=admin", user=admin)) == ["asset.delete"]
    assert _actions(api("GET", URL + "?outcome=failure", user=admin)) == ["auth.login"]
    assert _actions(api("GET", URL + "?action=asset.", user=admin)) == [
        "asset.delete",
        "asset.create",
    ]
    assert _actions(api("GET", URL + "?since=2999-01-01T00:00:00Z", user=admin)) == []
    row = api("GET", URL + "?outcome=failure", user=admin).json()["results"][0]
    assert (row["target"], row["outcome"], row["actor"]) == ("mallory", "failure", "")


def test_a_repository_admin_sees_only_that_repositorys_events(api, outsider, events):
    team, _ = events
    RepositoryRole.objects.create(user=outsider, repository=team, role=Role.ADMIN)
    assert _actions(api("GET", URL, user=outsider)) == ["asset.create"]


def test_others_see_no_audit_trail(api, deployer, maintainer, events):
    assert api("GET", URL).status_code == 401
    assert api("GET", URL, user=deployer).status_code == 403


def test_it_exports_csv(api, admin, events):
    response = api("GET", URL + "?export=csv&repository=team", user=admin)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["created", "actor", "action", "outcome"]
    assert [row[1:5] for row in rows[1:]] == [["deployer", "asset.create", "success", "team"]]


def test_it_neutralises_formulas_in_csv_cells(api, admin, db):
    record(None, "asset.create", target="=HYPERLINK(1)")
    response = api("GET", URL + "?export=csv", user=admin)
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_nobody_changes_the_trail(api, admin, events, method):
    assert api(method, URL, user=admin, body={}).status_code == 405
    assert AuditEvent.objects.count() == 3
