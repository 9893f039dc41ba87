"""/api/v1/retention/policies/: global admins create, read, change and delete policies; the
beat schedule follows; everyone else is refused."""

from django_celery_beat.models import PeriodicTask

from repository.models import AuditEvent, RetentionPolicy

URL = "/api/v1/retention/policies/"
RULES = {"keep_newest": 5, "older_than_days": 30, "releases": "prereleases"}


def test_it_creates_a_policy_with_its_schedule(api, admin, make_repository):
    make_repository("py", "pypi")
    make_repository("js", "npm")
    body = {"name": "old betas", "repositories": ["py", "js"], "schedule": "30 3 * * *", **RULES}
    response = api("POST", URL, user=admin, body=body)
    assert response.status_code == 201
    created = response.json()
    assert created["repositories"] == ["js", "py"] or sorted(created["repositories"]) == [
        "js",
        "py",
    ]
    assert (created["keep_newest"], created["releases"], created["next_run"][11:16]) == (
        5,
        "prereleases",
        "03:30",
    )
    assert response["Location"] == f"http://testserver{URL}{created['id']}/"
    task = PeriodicTask.objects.get()
    assert (task.task, task.args, task.enabled) == (
        "repository.retention.tasks.run_policy",
        f"[{created['id']}]",
        True,
    )
    assert (task.crontab.minute, task.crontab.hour) == ("30", "3")
    assert AuditEvent.objects.get(action="retention.policy.create").actor == admin


def test_it_changes_rules_repositories_and_schedule(api, admin, make_repository, policy):
    py = make_repository("py", "pypi")
    make_repository("js", "npm")
    existing = policy(py, keep_newest=3, schedule="0 1 * * *")
    response = api(
        "PATCH",
        f"{URL}{existing.pk}/",
        user=admin,
        body={"keep_newest": 10, "repositories": ["js"], "schedule": "", "enabled": False},
    )
    assert response.status_code == 200
    assert (response.json()["keep_newest"], response.json()["repositories"]) == (10, ["js"])
    assert not PeriodicTask.objects.exists()
    event = AuditEvent.objects.get(action="retention.policy.update")
    assert event.details == {"fields": ["enabled", "keep_newest", "schedule", "repositories"]}


def test_it_disables_the_beat_task_with_the_policy(api, admin, make_repository, policy):
    existing = policy(make_repository("py", "pypi"), keep_newest=3, schedule="0 1 * * *")
    api("PATCH", f"{URL}{existing.pk}/", user=admin, body={"enabled": False})
    assert PeriodicTask.objects.get().enabled is False


def test_it_deletes_a_policy_and_its_schedule(api, admin, make_repository, policy):
    existing = policy(make_repository("py", "pypi"), keep_newest=3, schedule="0 1 * * *")
    assert api("DELETE", f"{URL}{existing.pk}/", user=admin).status_code == 204
    assert not RetentionPolicy.objects.exists()
    assert not PeriodicTask.objects.exists()


def test_it_lists_and_reads_policies(api, admin, make_repository, policy):
    existing = policy(make_repository("py", "pypi"), keep_newest=3)
    listed = api("GET", URL, user=admin).json()
    assert [p["name"] for p in listed["results"]] == ["cleanup"]
    assert api("GET", f"{URL}{existing.pk}/", user=admin).json()["keep_newest"] == 3


def test_it_refuses_rules_that_would_select_everything_or_cannot_work(api, admin):
    cases = [
        ({"name": "all"}, "set at least one rule"),
        ({"name": "x", "keep_newest": -1}, "keep_newest must be"),
        ({"name": "x", "keep_newest": 1, "schedule": "every day"}, "crontab line of 5 fields"),
        ({"name": "x", "keep_newest": 1, "schedule": "61 * * * *"}, "schedule '61 * * * *'"),
        ({"name": "x", "keep_newest": 1, "repositories": ["nope"]}, "no repository named nope"),
        ({"name": "x", "keep_newest": 1, "releases": "some"}, "releases must be one of"),
        ({"name": " ", "keep_newest": 1}, "needs a name"),
    ]
    for body, message in cases:
        response = api("POST", URL, user=admin, body=body)
        assert response.status_code == 400, body
        assert message in str(response.json()), body
    assert not RetentionPolicy.objects.exists()


def test_it_refuses_a_taken_name(api, admin, make_repository, policy):
    policy(make_repository("py", "pypi"), keep_newest=3)
    response = api("POST", URL, user=admin, body={"name": "cleanup", "keep_newest": 1})
    assert response.status_code == 400
    assert "already exists" in response.json()["detail"]


def test_it_asks_anonymous_callers_and_refuses_repository_admins(
    api, make_repository, make_user, policy
):
    from repository.models import RepositoryRole, Role

    py = make_repository("py", "pypi")
    owner = make_user("owner")
    RepositoryRole.objects.create(user=owner, repository=py, role=Role.ADMIN)
    existing = policy(py, keep_newest=3)
    assert api("GET", URL).status_code == 401
    refused = api("GET", f"{URL}{existing.pk}/", user=owner)
    assert refused.status_code == 403
    assert "needs the admin role on all repositories" in refused.json()["detail"]


def test_it_answers_404_and_405(api, admin):
    assert api("GET", f"{URL}999/", user=admin).status_code == 404
    assert api("PUT", f"{URL}999/", user=admin, body={}).status_code == 405
