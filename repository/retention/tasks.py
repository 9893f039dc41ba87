"""Celery tasks of retention: scheduled and on-demand runs, the trash purge, daily figures.

They take primary keys, re-check state and are safe to run twice (`acks_late`): a run
executes only while it is still queued, a purge removes only what is due.
"""

from celery import shared_task

from repository.models import PolicyRun, RetentionPolicy
from repository.retention.figures import take_snapshots
from repository.retention.restore import purge_expired
from repository.retention.run import RunRefused, execute, queue_run


@shared_task(acks_late=True)
def execute_run(run_id: int) -> str:
    """An on-demand run queued from the UI or the API."""
    run = PolicyRun.objects.select_related("policy").filter(pk=run_id).first()
    if run is None or run.status != PolicyRun.Status.QUEUED:
        return "not queued"
    try:
        return execute(run).status
    except RunRefused as refusal:
        return str(refusal)


@shared_task(acks_late=True)
def run_policy(policy_id: int) -> str:
    """The policy's schedule came round (django-celery-beat's database scheduler)."""
    policy = RetentionPolicy.objects.filter(pk=policy_id, enabled=True).first()
    if policy is None:
        return "no such enabled policy"
    try:
        return execute(queue_run(policy, trigger="schedule")).status
    except RunRefused as refusal:
        return str(refusal)


@shared_task(acks_late=True)
def purge_trash() -> int:
    """Hourly (beat): trash entries past their repository's trash days go for good."""
    return purge_expired()


@shared_task(acks_late=True)
def snapshot_storage() -> int:
    """Daily (beat): each repository's storage figures, for the dashboard's growth chart."""
    return take_snapshots()
