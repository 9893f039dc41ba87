"""Runs through the API: started now (202, carried out by a worker), listed per policy,
read one by one with what they removed."""

import pytest

from repository.celery import app
from repository.models import PolicyRun, Version


@pytest.fixture
def start(api, admin, django_capture_on_commit_callbacks):
    """POST a run; the worker's part is done in this process once the request commits."""

    def post(policy, body=None):
        app.conf.task_always_eager = True
        try:
            with django_capture_on_commit_callbacks(execute=True):
                url = f"/api/v1/retention/policies/{policy.pk}/runs/"
                return api("POST", url, user=admin, body=body or {})
        finally:
            app.conf.task_always_eager = False

    return post


@pytest.fixture
def cleanup(make_repository, publish, policy):
    py = make_repository("py", "pypi")
    publish(py, "alpha", "1.0", days_old=40, content=b"12345")
    publish(py, "alpha", "2.0")
    return policy(py, keep_newest=1)


def test_it_starts_a_run_that_a_worker_carries_out(api, admin, cleanup, start):
    response = start(cleanup)
    assert response.status_code == 202
    run = PolicyRun.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/retention/runs/{run.pk}/"
    body = api("GET", f"/api/v1/retention/runs/{run.pk}/", user=admin).json()
    assert (body["status"], body["trigger"], body["actor"]) == ("finished", "api", "admin")
    assert (body["versions_deleted"], body["files_deleted"], body["bytes_reclaimed"]) == (1, 1, 5)
    assert list(Version.objects.values_list("version", flat=True)) == ["2.0"]


def test_a_dry_run_deletes_nothing(cleanup, start):
    start(cleanup, {"dry_run": True})
    run = PolicyRun.objects.get()
    assert (run.dry_run, run.versions_deleted, run.bytes_reclaimed) == (True, 1, 5)
    assert Version.objects.count() == 2


def test_it_lists_a_policys_runs_newest_first(api, admin, cleanup, start):
    for _ in range(2):
        start(cleanup)
    runs = api("GET", f"/api/v1/retention/policies/{cleanup.pk}/runs/", user=admin).json()
    assert runs["count"] == 2
    assert [r["versions_deleted"] for r in runs["results"]] == [0, 1]


def test_it_queues_without_a_worker_and_refuses_outsiders(api, admin, deployer, cleanup):
    url = f"/api/v1/retention/policies/{cleanup.pk}/runs/"
    assert api("POST", url, user=admin, body={}).json()["status"] == "queued"
    assert api("POST", url, user=deployer, body={}).status_code == 403
    assert api("POST", url, body={}).status_code == 401
    assert (
        api("POST", "/api/v1/retention/policies/999/runs/", user=admin, body={}).status_code == 404
    )
    assert api("GET", "/api/v1/retention/runs/999/", user=admin).status_code == 404
