"""The retention pages: list, create, edit with the preview of the edited rules, run now,
run details, delete; for admins of all repositories only."""

import pytest

from repository.models import PolicyRun, RetentionPolicy, Version
from repository.retention.run import execute
from tests.ui.conftest import client_for, table_rows


@pytest.fixture
def py(make_repository, publish):
    repository = make_repository("py", "pypi")
    for version, age in (("1.0", 90), ("1.1", 60), ("2.0rc1", 40), ("2.0", 1)):
        publish(repository, "alpha", version, days_old=age, content=version.encode())
    return repository


@pytest.fixture
def staff(admin):
    return client_for(admin)


def test_it_lists_policies_with_their_rules_and_schedule(staff, py, policy):
    policy(py, name="old", keep_newest=2, older_than_days=30, schedule="30 3 * * *")
    response = staff.get("/ui/retention/")
    assert response.status_code == 200
    (row,) = table_rows(response)
    assert row[:3] == ["old", "py", "beyond the newest 2; older than 30 days"]
    assert row[3].startswith("30 3 * * *next ")


def test_it_creates_a_policy_from_the_form(staff, py):
    response = staff.post(
        "/ui/retention/new/",
        {
            "name": "betas",
            "repositories": [py.pk],
            "releases": "prereleases",
            "older_than_days": "30",
            "schedule": "0 4 * * *",
            "enabled": "on",
        },
    )
    created = RetentionPolicy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ui/retention/{created.pk}/"
    assert (created.releases, created.older_than_days, created.schedule) == (
        "prereleases",
        30,
        "0 4 * * *",
    )
    assert list(created.repositories.all()) == [py]


def test_it_shows_why_a_form_is_refused(staff, py):
    response = staff.post("/ui/retention/new/", {"name": "all", "repositories": [py.pk]})
    assert response.status_code == 200
    assert "set at least one rule" in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_the_edit_page_previews_the_saved_rules(staff, py, policy):
    saved = policy(py, keep_newest=2)
    response = staff.get(f"/ui/retention/{saved.pk}/")
    rows = table_rows(response)
    assert [row[:3] for row in rows[:2]] == [["py", "alpha", "1.1"], ["py", "alpha", "1.0"]]


def test_the_live_preview_answers_the_edited_rules_as_a_fragment(staff, py):
    response = staff.get(
        "/ui/retention/preview/",
        {"repositories": py.pk, "releases": "prereleases", "older_than_days": "30", "fragment": 1},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert [row[2] for row in table_rows(response)] == ["2.0rc1"]
    assert "freed once purged" in body


def test_the_preview_pages_on_with_more(staff, py, publish):
    for minor in range(60):
        publish(py, "beta", f"0.{minor}", days_old=50)
    first = staff.get("/ui/retention/preview/", {"repositories": py.pk, "keep_newest": 1})
    assert len(table_rows(first)) == 50
    more = first.content.decode().split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = staff.get(more.replace("&amp;", "&"))
    assert len(table_rows(second)) == 62 - 50


def test_the_preview_says_what_is_missing(staff, py):
    body = staff.get("/ui/retention/preview/", {"keep_newest": 1, "fragment": 1}).content
    assert b"Choose the repositories" in body
    body = staff.get("/ui/retention/preview/", {"repositories": py.pk, "fragment": 1}).content
    assert b"set at least one rule" in body


def test_it_exports_the_preview_as_csv(staff, py, policy):
    saved = policy(py, keep_newest=3)
    response = staff.get(f"/ui/retention/{saved.pk}/preview.csv")
    assert response["Content-Type"] == "text/csv"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[1].startswith("py,alpha,1.0,delete,1,3,3,")


def test_run_now_queues_a_run_and_its_page_shows_it(staff, py, policy):
    saved = policy(py, keep_newest=2)
    response = staff.post(f"/ui/retention/{saved.pk}/run/")
    run = PolicyRun.objects.get()
    assert response["Location"] == f"/ui/retention/runs/{run.pk}/"
    page = staff.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page
    execute(run)
    page = staff.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Finished" in page
    assert set(Version.objects.values_list("version", flat=True)) == {"2.0", "2.0rc1"}
    history = staff.get(f"/ui/retention/{saved.pk}/")
    assert ["Run", str(run.pk)] == table_rows(history)[-1][0].split()


def test_a_dry_run_from_the_page_deletes_nothing(staff, py, policy):
    saved = policy(py, keep_newest=2)
    staff.post(f"/ui/retention/{saved.pk}/run/", {"dry_run": "1"})
    run = execute(PolicyRun.objects.get())
    assert (run.dry_run, run.versions_deleted) == (True, 2)
    assert Version.objects.count() == 4


def test_it_deletes_a_policy(staff, py, policy):
    saved = policy(py, keep_newest=2)
    assert staff.post(f"/ui/retention/{saved.pk}/delete/")["Location"] == "/ui/retention/"
    assert not RetentionPolicy.objects.exists()


def test_it_is_for_global_admins_only(py, policy, deployer, reader):
    saved = policy(py, keep_newest=2)
    anonymous = client_for()
    assert anonymous.get("/ui/retention/")["Location"].startswith("/login/?next=")
    for user in (deployer, reader):
        client = client_for(user)
        for url in ("/ui/retention/", f"/ui/retention/{saved.pk}/", "/ui/storage/"):
            assert client.get(url).status_code == 403
        assert client.post(f"/ui/retention/{saved.pk}/run/").status_code == 403
    assert not PolicyRun.objects.exists()


def test_only_admins_see_the_links_in_the_header(staff, deployer, py):
    assert b">Retention</a>" in staff.get("/").content
    assert b">Retention</a>" not in client_for(deployer).get("/").content
