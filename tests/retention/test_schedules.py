"""Per-policy schedules: django-celery-beat rows that its database scheduler runs, kept in
step with each change to the policy; and the task beat calls."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from repository.celery import app
from repository.models import PolicyRun, Version
from repository.retention.policies import delete_policy, update_policy
from repository.retention.schedules import next_run
from repository.retention.tasks import purge_trash, run_policy
from repository.retention.trash import trash_version


@pytest.fixture
def repo(make_repository):
    return make_repository("py", "pypi")


def test_beats_database_scheduler_sees_the_policys_schedule(repo, policy):
    cleanup = policy(repo, keep_newest=1, schedule="* * * * *")
    entries = DatabaseScheduler(app=app, lazy=True).all_as_schedule()
    assert entries[f"retention policy {cleanup.pk}"].args == [cleanup.pk]
    update_policy(cleanup, schedule="15 2 * * 1")
    entry = DatabaseScheduler.Entry(PeriodicTask.objects.get(), app=app)
    assert entry.task == "repository.retention.tasks.run_policy"
    assert entry.args == [cleanup.pk]
    assert (entry.schedule.minute, entry.schedule.hour, entry.schedule.day_of_week) == (
        {15},
        {2},
        {1},
    )


def test_changing_the_schedule_changes_the_beat_row(repo, policy):
    cleanup = policy(repo, keep_newest=1, schedule="0 1 * * *")
    update_policy(cleanup, schedule="*/30 * * * *")
    task = PeriodicTask.objects.get()
    assert (task.crontab.minute, task.crontab.hour) == ("*/30", "*")
    update_policy(cleanup, enabled=False)
    assert not PeriodicTask.objects.get().enabled
    update_policy(cleanup, schedule="")
    assert not PeriodicTask.objects.exists()
    update_policy(cleanup, schedule="0 1 * * *")
    delete_policy(cleanup)
    assert not PeriodicTask.objects.exists()


def test_the_scheduled_task_runs_the_policy(repo, publish, policy):
    publish(repo, "alpha", "1.0", days_old=40)
    publish(repo, "alpha", "2.0")
    cleanup = policy(repo, keep_newest=1, schedule="0 1 * * *")
    assert run_policy.apply(args=[cleanup.pk]).get() == "finished"
    assert PolicyRun.objects.get().trigger == "schedule"
    assert list(Version.objects.values_list("version", flat=True)) == ["2.0"]


def test_the_scheduled_task_skips_a_disabled_policy(repo, publish, policy):
    cleanup = policy(repo, keep_newest=1, schedule="0 1 * * *", enabled=False)
    assert run_policy.apply(args=[cleanup.pk]).get() == "no such enabled policy"
    assert not PolicyRun.objects.exists()


def test_next_run_is_the_next_matching_minute(repo, policy):
    cleanup = policy(repo, keep_newest=1, schedule="30 3 * * *")
    now = datetime(2026, 5, 1, 4, 0, tzinfo=UTC)
    assert next_run(cleanup, now) == datetime(2026, 5, 2, 3, 30, tzinfo=UTC)


def test_the_purge_task_empties_what_is_due(repo, publish):
    entry = trash_version(publish(repo, "alpha", "1.0"), reason="DELETE")
    assert purge_trash.apply().get() == 0
    type(entry).objects.filter(pk=entry.pk).update(purge_after=timezone.now() - timedelta(1))
    assert purge_trash.apply().get() == 1
