"""What `larder retention`, `larder pin` and `larder trash` do: look things up by name, call
the retention services, and report progress on a terminal."""

from collections.abc import Callable

from django.core.management.base import CommandError
from django.db.models import Q

from repository.formats import get_format
from repository.management.progress import ProgressBar, megabytes
from repository.models import Package, PolicyRun, Repository, RetentionPolicy, TrashEntry, Version
from repository.retention.policies import pin_version, unpin_version
from repository.retention.restore import RestoreRefused, purge_entry, restore_entry
from repository.retention.run import RunRefused, execute, queue_run


def find_policy(name_or_id: str) -> RetentionPolicy:
    query = Q(name=name_or_id)
    if name_or_id.isdigit():
        query |= Q(pk=int(name_or_id))
    policy = RetentionPolicy.objects.filter(query).first()
    if policy is None:
        raise CommandError(f"no retention policy named {name_or_id!r}")
    return policy


def find_repository(name: str) -> Repository:
    repository = Repository.objects.filter(name=name).first()
    if repository is None:
        raise CommandError(f"no repository named {name!r}")
    return repository


def find_version(repository_name: str, project: str, version: str) -> Version:
    repository = find_repository(repository_name)
    fmt = get_format(repository.format)
    package = Package.objects.filter(
        repository=repository, name=fmt.normalize_name(project)
    ).first()
    if package is None:
        raise CommandError(f"no package {project!r} in repository {repository.name}")
    found = package.versions.filter(version=fmt.normalize_version(version)).first()
    if found is None:
        raise CommandError(f"{package.display_name} has no version {version!r}")
    return found


def progress_printer(stream=None) -> Callable[[PolicyRun], None]:
    bar = ProgressBar(stream)

    def show(run: PolicyRun) -> None:
        removed = run.files_evicted if run.policy.evicts else run.versions_deleted
        what = "files evicted" if run.policy.evicts else "versions"
        text = f"packages, {removed} {what}, {megabytes(run.bytes_reclaimed)}"
        bar.show(run.packages_done, run.packages_total, text, final=run.finished is not None)

    return show


def run_policy(name_or_id: str, *, dry_run: bool, progress) -> PolicyRun:
    policy = find_policy(name_or_id)
    try:
        run = execute(queue_run(policy, trigger="cli", dry_run=dry_run), progress=progress)
    except RunRefused as refusal:
        raise CommandError(str(refusal)) from None
    if run.status != PolicyRun.Status.FINISHED:
        raise CommandError(f"run {run.pk} failed: {'; '.join(run.errors)}")
    return run


def pin(repository: str, project: str, version: str, *, reason: str, undo: bool) -> Version:
    found = find_version(repository, project, version)
    if undo:
        unpin_version(found)
    else:
        pin_version(found, reason=reason)
    return found


def trash_entries(repository_name: str) -> list[TrashEntry]:
    repository = find_repository(repository_name)
    return list(TrashEntry.objects.filter(repository=repository).order_by("-trashed", "-pk"))


def _entry(repository_name: str, entry_id: int) -> TrashEntry:
    repository = find_repository(repository_name)
    entry = TrashEntry.objects.filter(repository=repository, pk=entry_id).first()
    if entry is None:
        raise CommandError(f"no trash entry {entry_id} in repository {repository.name}")
    return entry


def restore(repository_name: str, entry_id: int) -> list[str]:
    try:
        return restore_entry(_entry(repository_name, entry_id))
    except RestoreRefused as refusal:
        raise CommandError(str(refusal)) from None


def purge(repository_name: str, entry_id: int) -> None:
    purge_entry(_entry(repository_name, entry_id))
