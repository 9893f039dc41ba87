"""Previews through the API: a saved policy's, page by page with a cursor, or as CSV; and
the rules being edited (not saved yet), as the UI's live preview asks for them."""

import csv
import io

from repository.models import Version

URL = "/api/v1/retention/policies/{}/preview/"


def test_it_pages_the_preview_with_a_cursor(api, admin, make_repository, publish, policy):
    py = make_repository("py", "pypi")
    for minor in range(5):
        publish(py, "alpha", f"1.{minor}", days_old=40, content=f"alpha {minor}".encode())
    cleanup = policy(py, keep_newest=1)
    first = api("GET", URL.format(cleanup.pk) + "?limit=3", user=admin).json()
    assert [row["version"] for row in first["results"]] == ["1.3", "1.2", "1.1"]
    assert first["results"][0] == {
        "repository": "py",
        "package": "alpha",
        "version": "1.3",
        "action": "delete",
        "reason": "#2 by version, beyond the newest 1",
        "files": [{"path": "files/alpha/1.3/alpha-1.3.tgz", "size": 7}],
        "bytes": 7,
        "reclaimed": 7,
    }
    cursor = first["next_cursor"]
    second = api("GET", URL.format(cleanup.pk) + f"?limit=3&cursor={cursor}", user=admin).json()
    assert [row["version"] for row in second["results"]] == ["1.0"]
    assert second["next_cursor"] is None
    assert Version.objects.count() == 5


def test_it_exports_the_whole_preview_as_csv(api, admin, make_repository, publish, policy):
    py = make_repository("py", "pypi")
    publish(py, "alpha", "1.0", days_old=40)
    publish(py, "alpha", "2.0")
    response = api("GET", URL.format(policy(py, keep_newest=1).pk) + "?export=csv", user=admin)
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[:3] for row in rows] == [
        ["repository", "package", "version"],
        ["py", "alpha", "1.0"],
    ]


def test_it_previews_rules_not_saved_yet(api, admin, make_repository, publish):
    py = make_repository("py", "pypi")
    publish(py, "alpha", "1.0", days_old=40)
    publish(py, "alpha", "2.0rc1", days_old=40)
    publish(py, "alpha", "2.0")
    body = {"repositories": ["py"], "releases": "prereleases", "older_than_days": 30}
    response = api("POST", "/api/v1/retention/preview/", user=admin, body=body)
    assert response.status_code == 200
    assert [row["version"] for row in response.json()["results"]] == ["2.0rc1"]


def test_it_refuses_rules_that_select_everything_and_bad_cursors(
    api, admin, make_repository, policy
):
    make_repository("py", "pypi")
    response = api("POST", "/api/v1/retention/preview/", user=admin, body={"repositories": ["py"]})
    assert response.status_code == 400
    assert "set at least one rule" in response.json()["detail"]
    cleanup = policy(keep_newest=1)
    bad = api("GET", URL.format(cleanup.pk) + "?cursor=zzz", user=admin)
    assert bad.status_code == 400
    assert "invalid cursor" in bad.json()["detail"]


def test_it_is_for_global_admins(api, deployer, make_repository, policy):
    cleanup = policy(make_repository("py", "pypi"), keep_newest=1)
    assert api("GET", URL.format(cleanup.pk)).status_code == 401
    assert api("GET", URL.format(cleanup.pk), user=deployer).status_code == 403
