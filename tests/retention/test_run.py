"""A run deletes exactly what the preview listed at that moment, into the trash, audited and
recorded; a dry run deletes nothing; protected versions stay; indexes follow at once."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from repository.models import Asset, AuditEvent, Blob, PolicyRun, Repository, TrashEntry
from repository.retention.policies import pin_version
from repository.retention.preview import Cursor, page, policy_scope
from repository.retention.run import RunRefused, execute, queue_run
from repository.services.packages import note_download
from tests.retention.fixtures import versions_of


@pytest.fixture
def repo(make_repository):
    return make_repository("py", "pypi")


def run_now(policy, **options) -> PolicyRun:
    return execute(queue_run(policy, trigger="cli", **options))


def previewed(policy) -> list[tuple[str, str]]:
    rules, repositories = policy_scope(policy)
    return [(i.package.name, i.version) for i in page(rules, repositories, Cursor(), 1000).items]


def test_it_deletes_exactly_what_the_preview_lists(repo, publish, policy):
    for package in ("alpha", "beta"):
        for version, age in (("1.0", 90), ("1.1", 60), ("1.2", 20), ("2.0", 1)):
            publish(repo, package, version, days_old=age)
    cleanup = policy(repo, older_than_days=30, keep_newest=1)
    before = versions_of(repo)
    expected = previewed(cleanup)
    run = run_now(cleanup)
    assert run.status == "finished"
    assert before - versions_of(repo) == set(expected)
    assert len(expected) == 4
    assert (run.versions_deleted, run.files_deleted, run.packages_done) == (4, 4, 2)


def test_it_records_the_run_and_audits_each_deletion(repo, publish, policy, admin):
    publish(repo, "alpha", "1.0", days_old=50, content=b"0123456789")
    publish(repo, "alpha", "2.0")
    run = execute(queue_run(policy(repo, keep_newest=1), trigger="ui", actor=admin))
    run.refresh_from_db()
    assert (run.status, run.trigger, run.actor, run.bytes_reclaimed, run.errors) == (
        "finished",
        "ui",
        admin,
        10,
        [],
    )
    assert run.started <= run.finished
    event = AuditEvent.objects.get(action="retention.delete")
    assert (event.actor, event.repository_name, event.target) == (admin, "py", "alpha 1.0")
    assert event.details["policy"] == "cleanup"
    assert event.details["reclaimed"] == 10
    entry = TrashEntry.objects.get()
    assert (entry.version, entry.run, entry.reason) == (
        "1.0",
        run,
        "retention policy cleanup: #2 by version, beyond the newest 1",
    )


def test_a_dry_run_counts_and_deletes_nothing(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=50, content=b"abc")
    publish(repo, "alpha", "2.0")
    run = run_now(policy(repo, keep_newest=1), dry_run=True)
    assert (run.status, run.dry_run, run.versions_deleted, run.bytes_reclaimed) == (
        "finished",
        True,
        1,
        3,
    )
    assert len(versions_of(repo)) == 2
    assert not TrashEntry.objects.exists()
    assert not AuditEvent.objects.filter(action="retention.delete").exists()


def test_it_never_deletes_tagged_pinned_or_last_versions(repo, publish, policy, tag, admin):
    tagged = publish(repo, "alpha", "1.0", days_old=50)
    publish(repo, "alpha", "1.1", days_old=50)
    pinned = publish(repo, "alpha", "1.2", days_old=50)
    publish(repo, "alpha", "1.3", days_old=50)
    publish(repo, "lonely", "0.1", days_old=50)
    tag(tagged, "stable")
    pin_version(pinned, reason="customer runs it", actor=admin)
    run_now(policy(repo, older_than_days=30))
    assert versions_of(repo) == {("alpha", "1.0"), ("alpha", "1.2"), ("lonely", "0.1")}


def test_it_deletes_the_last_version_and_the_package_when_the_policy_says_so(
    repo, publish, policy, client
):
    publish(repo, "lonely", "0.1", days_old=50)
    run_now(policy(repo, older_than_days=30, delete_last_version=True))
    assert versions_of(repo) == set()
    assert client.get("/repository/py/simple/lonely/").status_code == 404


def test_pypi_pages_stop_listing_deleted_files_at_once(repo, publish, policy, client):
    publish(repo, "alpha", "1.0", days_old=50)
    publish(repo, "alpha", "2.0")
    assert "alpha-1.0.tgz" in client.get("/repository/py/simple/alpha/").content.decode()
    run_now(policy(repo, keep_newest=1))
    page_after = client.get("/repository/py/simple/alpha/").content.decode()
    assert "alpha-1.0.tgz" not in page_after
    assert "alpha-2.0.tgz" in page_after
    assert client.get("/repository/py/files/alpha/1.0/alpha-1.0.tgz").status_code == 404


def test_npm_packuments_drop_deleted_versions_and_keep_latest(
    make_repository, publish, policy, client, tag
):
    npm = make_repository("js", "npm")
    for version in ("1.0.0", "1.1.0", "2.0.0-rc.1"):
        publish(npm, "demo", version, days_old=50)
    latest = publish(npm, "demo", "1.2.0", days_old=50)
    tag(latest, "latest")
    run_now(policy(npm, older_than_days=30))
    document = client.get("/repository/js/demo").json()
    assert sorted(document["versions"]) == ["1.2.0"]
    assert document["dist-tags"] == {"latest": "1.2.0"}


def test_glob_and_release_rules_select_through_a_run(repo, publish, policy):
    for package in ("acme-tools", "acme-cli", "other"):
        for version in ("1.0", "1.1rc1", "1.1"):
            publish(repo, package, version, days_old=50)
    run_now(policy(repo, name_glob="acme-*", releases="prereleases"))
    assert {v for p, v in versions_of(repo) if p == "other"} == {"1.0", "1.1rc1", "1.1"}
    assert {v for p, v in versions_of(repo) if p == "acme-cli"} == {"1.0", "1.1"}
    assert {v for p, v in versions_of(repo) if p == "acme-tools"} == {"1.0", "1.1"}


def test_it_applies_each_rule_at_the_moment_of_the_run(repo, publish, policy, settings):
    publish(repo, "alpha", "1.0", days_old=50)
    version = publish(repo, "alpha", "1.1", days_old=50)
    publish(repo, "alpha", "2.0")
    cleanup = policy(repo, not_downloaded_days=30)
    assert previewed(cleanup) == [("alpha", "1.1"), ("alpha", "1.0")]
    settings.REDIS_URL = ""  # count straight into the database
    note_download(version.assets.get())
    run_now(cleanup)
    assert versions_of(repo) == {("alpha", "1.1"), ("alpha", "2.0")}


def test_it_refuses_a_second_run_of_the_policy_while_one_runs(repo, publish, policy):
    cleanup = policy(repo, keep_newest=1)
    running = queue_run(cleanup, trigger="schedule")
    PolicyRun.objects.filter(pk=running.pk).update(status="running", heartbeat=timezone.now())
    with pytest.raises(RunRefused, match="another run"):
        run_now(cleanup)
    assert PolicyRun.objects.get(pk=running.pk).status == "running"


def test_it_takes_over_from_a_run_that_stopped_responding(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=50)
    publish(repo, "alpha", "2.0")
    cleanup = policy(repo, keep_newest=1)
    dead = queue_run(cleanup, trigger="schedule")
    PolicyRun.objects.filter(pk=dead.pk).update(
        status="running", heartbeat=dead.created.replace(year=dead.created.year - 1)
    )
    assert run_now(cleanup).status == "finished"
    assert PolicyRun.objects.get(pk=dead.pk).status == "failed"


def test_it_evicts_idle_cached_files_of_proxies_keeping_the_versions(
    make_repository, publish, policy
):
    proxy = make_repository("py-proxy", "pypi", kind=Repository.Kind.PROXY)
    old = publish(proxy, "alpha", "1.0", days_old=50, downloaded_days_ago=40, content=b"cached")
    recent = publish(proxy, "alpha", "2.0", days_old=50, downloaded_days_ago=2)
    run = run_now(policy(proxy, cached_not_downloaded_days=30))
    assert (run.files_evicted, run.versions_deleted, run.bytes_reclaimed) == (1, 0, 6)
    assert versions_of(proxy) == {("alpha", "1.0"), ("alpha", "2.0")}
    assert Asset.objects.get(version=old).blob is None
    assert Asset.objects.get(version=recent).blob is not None
    assert not Blob.objects.get(pk=hashlib.sha256(b"cached").hexdigest()).assets.exists()
    assert AuditEvent.objects.get(action="retention.evict").target == "alpha 1.0"


def test_eviction_selects_nothing_in_hosted_repositories(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=50, downloaded_days_ago=40)
    run = run_now(policy(repo, cached_not_downloaded_days=30))
    assert (run.files_evicted, run.status) == (0, "finished")
    assert Asset.objects.get().blob is not None


def test_deleting_the_policy_stops_its_run(repo, publish, policy, monkeypatch):
    from repository.retention import run as running
    from repository.retention.policies import delete_policy

    for package in ("alpha", "beta"):
        publish(repo, package, "1.0", days_old=50)
        publish(repo, package, "2.0")
    cleanup = policy(repo, keep_newest=1)
    monkeypatch.setattr(running, "HEARTBEAT_EVERY", timedelta(0))
    original = running._apply_package

    def then_delete_the_policy(*args):
        original(*args)
        delete_policy(cleanup)

    monkeypatch.setattr(running, "_apply_package", then_delete_the_policy)
    run_now(cleanup)
    assert versions_of(repo) == {("alpha", "2.0"), ("beta", "1.0"), ("beta", "2.0")}
    assert not PolicyRun.objects.exists()
