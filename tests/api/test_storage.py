"""Storage figures in the API: stored and unique bytes, counts, trash, growth per day."""

from datetime import timedelta

from django.utils import timezone

from repository.retention.figures import take_snapshots
from repository.retention.trash import trash_version


def test_it_gives_a_repositorys_figures_to_its_admins(
    api, admin, deployer, make_repository, publish
):
    py = make_repository("py", "pypi", soft_quota_bytes=10, quota_bytes=100)
    publish(py, "alpha", "1.0", content=b"0123456789")
    publish(py, "alpha", "1.1", content=b"0123456789")  # the same bytes: stored once
    trash_version(publish(py, "beta", "1.0", content=b"abc"), reason="DELETE")
    take_snapshots(timezone.now().date() - timedelta(days=10))
    publish(py, "gamma", "1.0", content=b"x" * 40)
    take_snapshots()
    body = api("GET", "/api/v1/repositories/py/storage/", user=admin).json()
    assert {k: body[k] for k in ("stored_bytes", "unique_bytes", "trash_bytes")} == {
        "stored_bytes": 60,
        "unique_bytes": 50,
        "trash_bytes": 3,
    }
    assert (body["packages"], body["versions"], body["files"]) == (2, 3, 3)
    assert body["growth_bytes_per_day"] == 4.0
    assert body["over_soft_quota"] is True
    assert len(body["history"]) == 2
    assert api("GET", "/api/v1/repositories/py/storage/", user=deployer).status_code == 403


def test_it_gives_every_repositorys_figures_to_global_admins(api, admin, deployer, make_repository):
    make_repository("py", "pypi")
    make_repository("js", "npm")
    rows = api("GET", "/api/v1/storage/", user=admin).json()["results"]
    assert [row["repository"] for row in rows] == ["js", "py"]
    assert api("GET", "/api/v1/storage/", user=deployer).status_code == 403
