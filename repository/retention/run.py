"""Running a policy: the preview's walk, applied one package per short transaction.

Each package is locked (FOR NO KEY UPDATE, which uploads' foreign-key checks do not wait
for), its selection computed again from the rows as they are at that moment, and exactly
those versions moved to the trash (or those cached files evicted) through the core's
services, with an audit event each, before the next package. No lock outlives one package,
so uploads and index reads never queue behind a run, and memory holds one batch.

A run is claimed with a conditional UPDATE; the database refuses a second running run of
one policy. A run whose heartbeat stops (its worker died) is marked failed after
STALE_AFTER, so the next one may start.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from repository.models import AuditEvent, Package, PolicyRun, RetentionPolicy, Version
from repository.retention.preview import policy_scope, walk
from repository.retention.reclaim import Reclaim
from repository.retention.rules import Rules
from repository.retention.selection import Item, PackageRef, package_batches, select_packages
from repository.retention.trash import trash_versions
from repository.services.packages import evict_files

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=15)
HEARTBEAT_EVERY = timedelta(seconds=5)
KEPT_ERRORS = 100

Progress = Callable[[PolicyRun], None]


class RunRefused(Exception):
    """The run cannot start (another is running, or the policy's rules are unusable)."""


class PolicyGone(Exception):
    """The policy was deleted while its run worked: the run stops (its record went too)."""


SAVED_FIELDS = (
    "status",
    "finished",
    "heartbeat",
    "packages_done",
    "packages_total",
    "versions_deleted",
    "files_deleted",
    "files_evicted",
    "bytes_reclaimed",
    "error_count",
    "errors",
)


def queue_run(policy: RetentionPolicy, *, trigger: str, actor=None, dry_run=False) -> PolicyRun:
    """A run record for a worker (or this process) to execute."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return PolicyRun.objects.create(policy=policy, trigger=trigger, actor=actor, dry_run=dry_run)


def _claim(run: PolicyRun) -> bool:
    now = timezone.now()
    PolicyRun.objects.filter(
        policy=run.policy_id, status=PolicyRun.Status.RUNNING, heartbeat__lt=now - STALE_AFTER
    ).update(status=PolicyRun.Status.FAILED, finished=now, errors=["stopped responding"])
    try:
        with transaction.atomic():
            claimed = PolicyRun.objects.filter(pk=run.pk, status=PolicyRun.Status.QUEUED).update(
                status=PolicyRun.Status.RUNNING, started=now, heartbeat=now
            )
    except IntegrityError:
        _fail(run, "another run of this policy is still running")
        raise RunRefused("another run of this policy is still running") from None
    run.refresh_from_db()
    return bool(claimed)


def _fail(run: PolicyRun, message: str) -> None:
    PolicyRun.objects.filter(pk=run.pk).update(
        status=PolicyRun.Status.FAILED,
        finished=timezone.now(),
        errors=[message],
        error_count=F("error_count") + 1,
    )


class _Recorder:
    """Counts on the run row, written every few seconds and at the end."""

    def __init__(self, run: PolicyRun, progress: Progress | None) -> None:
        self.run = run
        self.progress = progress
        self._written = timezone.now()

    def add(self, items: list[Item], evicted: int = 0) -> None:
        run = self.run
        if self.run.policy.evicts:
            run.files_evicted += evicted
        else:
            run.versions_deleted += len(items)
            run.files_deleted += sum(len(item.files) for item in items)
        run.bytes_reclaimed += sum(item.reclaimed for item in items)

    def error(self, message: str) -> None:
        self.run.error_count += 1
        if len(self.run.errors) < KEPT_ERRORS:
            self.run.errors.append(message)

    def scanned(self, packages: int, force: bool = False) -> None:
        self.run.packages_done += packages
        now = timezone.now()
        if force or now - self._written >= HEARTBEAT_EVERY:
            self.run.heartbeat = now
            values = {field: getattr(self.run, field) for field in SAVED_FIELDS}
            if not PolicyRun.objects.filter(pk=self.run.pk).update(**values):
                raise PolicyGone(self.run.pk)
            self._written = now
        if self.progress is not None:
            self.progress(self.run)


def execute(run: PolicyRun, progress: Progress | None = None) -> PolicyRun:
    """Carry out a queued run (a dry run only counts); returns it finished or failed."""
    if not _claim(run):
        return run
    rules, repositories = policy_scope(run.policy)
    try:
        rules.check()
    except ValueError as exc:
        _fail(run, str(exc))
        run.refresh_from_db()
        return run
    run.packages_total = Package.objects.filter(repository__in=repositories).count()
    recorder = _Recorder(run, progress)
    try:
        if run.dry_run:
            _count(rules, repositories, recorder)
        else:
            _apply(rules, repositories, recorder)
    except PolicyGone:
        log.info("retention run %s stopped: its policy was deleted", run.pk)
        return run
    except Exception as exc:  # a broken run is recorded, never left "running"
        log.exception("retention run %s failed", run.pk)
        recorder.error(f"{type(exc).__name__}: {exc}")
        run.status = PolicyRun.Status.FAILED
    else:
        run.status = PolicyRun.Status.FINISHED
    run.finished = timezone.now()
    try:
        recorder.scanned(0, force=True)
    except PolicyGone:
        log.info("retention run %s: its policy was deleted as it finished", run.pk)
    return run


def _count(rules: Rules, repositories: list, recorder: _Recorder) -> None:
    """A dry run: the preview's totals, recorded like a run's."""
    last = None
    for _, item in walk(rules, repositories):
        recorder.add([item], evicted=len(item.files))
        if item.package != last:
            recorder.scanned(1)
            last = item.package
    recorder.run.packages_done = recorder.run.packages_total


def _apply(rules: Rules, repositories: list, recorder: _Recorder) -> None:
    run = recorder.run
    reclaim = Reclaim(rules, repositories, timezone.now(), run_id=run.pk)
    for repository in repositories:
        for packages in package_batches(repository):
            for package in packages:
                try:
                    _apply_package(rules, repository, package, reclaim, recorder)
                except PolicyGone:
                    raise
                except Exception as exc:
                    log.exception("retention run %s: %s", run.pk, package.name)
                    recorder.error(f"{repository.name}/{package.display_name}: {exc}")
            recorder.scanned(len(packages))


@transaction.atomic
def _apply_package(rules: Rules, repository, ref: PackageRef, reclaim: Reclaim, recorder):
    """One package: locked, selected again as it is now, its selection removed, audited."""
    if not PolicyRun.objects.filter(pk=recorder.run.pk).exists():
        raise PolicyGone(recorder.run.pk)
    package = Package.objects.select_for_update(no_key=True).filter(pk=ref.pk).first()
    if package is None:
        return
    package.repository = repository
    now = timezone.now()
    reclaim.now = now
    items = select_packages(rules, repository, [ref], now)
    if not items:
        return
    reclaim.count(items)
    run = recorder.run
    evicted = 0
    if rules.evicts:
        evicted = evict_files(package, [f.pk for item in items for f in item.files])
    else:
        versions = list(Version.objects.filter(pk__in=[item.version_id for item in items]))
        trash_versions(
            package,
            versions,
            reason=f"retention policy {run.policy.name}",
            run=run,
            why={item.version_id: item.reason for item in items},
        )
    _audit(run, items, "retention.evict" if rules.evicts else "retention.delete")
    recorder.add(items, evicted)


def _audit(run: PolicyRun, items: list[Item], action: str) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=run.actor,
            action=action,
            repository_name=item.repository.name,
            target=f"{item.package.name} {item.version}"[:512],
            details={
                "policy": run.policy.name,
                "run": run.pk,
                "reason": item.reason,
                "files": [f.path for f in item.files],
                "bytes": item.size,
                "reclaimed": item.reclaimed,
            },
        )
        for item in items
    )
