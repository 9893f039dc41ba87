"""Each policy's schedule as a django-celery-beat PeriodicTask, kept in step with the policy.

Beat runs the database scheduler (settings.CELERY_BEAT_SCHEDULER), which notices changed
PeriodicTask rows by itself: editing a schedule in the UI needs no restart of beat.
A schedule is a crontab line in UTC ("30 3 * * *": every day at 03:30).
"""

import json
from datetime import datetime, timedelta

from celery.schedules import crontab
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from repository.models import RetentionPolicy

TASK = "repository.retention.tasks.run_policy"
FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def _parts(line: str) -> dict[str, str]:
    parts = line.split()
    if len(parts) != len(FIELDS):
        raise ValueError(
            f"schedule {line!r} must be a crontab line of 5 fields: minute hour "
            "day-of-month month day-of-week (e.g. '30 3 * * *')"
        )
    return dict(zip(FIELDS, parts, strict=True))


def check_schedule(line: str) -> str:
    """The schedule, normalized, or ValueError saying what is wrong with it."""
    line = " ".join(line.split())
    if not line:
        return ""
    try:
        crontab(**_parts(line))
    except ValueError as exc:
        raise ValueError(f"schedule {line!r}: {exc}") from None
    return line


def task_name(policy: RetentionPolicy) -> str:
    return f"retention policy {policy.pk}"


def sync_schedule(policy: RetentionPolicy) -> PeriodicTask | None:
    """Create, change or remove the policy's PeriodicTask to match its schedule."""
    if not policy.schedule:
        PeriodicTask.objects.filter(name=task_name(policy)).delete()
        return None
    schedule, _ = CrontabSchedule.objects.get_or_create(**_parts(policy.schedule), timezone="UTC")
    task, _ = PeriodicTask.objects.update_or_create(
        name=task_name(policy),
        defaults={
            "task": TASK,
            "crontab": schedule,
            "interval": None,
            "args": json.dumps([policy.pk]),
            "enabled": policy.enabled,
            "description": f"retention policy {policy.name}",
        },
    )
    return task


def remove_schedule(policy: RetentionPolicy) -> None:
    PeriodicTask.objects.filter(name=task_name(policy)).delete()


def next_run(policy: RetentionPolicy, now: datetime | None = None) -> datetime | None:
    """When beat will next start the policy, for the UI."""
    if not policy.schedule or not policy.enabled:
        return None
    now = now or timezone.now()
    schedule = crontab(**_parts(policy.schedule), nowfun=lambda: now)
    estimate = now + schedule.remaining_estimate(now)
    # Crontabs fire on the minute; the estimate may fall a few microseconds short of it.
    return (estimate + timedelta(seconds=30)).replace(second=0, microsecond=0)
