"""`larder retention`, `larder pin` and `larder trash`: arguments in, messages out; the work
is repository/management/retention.py's (see repository/cli.py for the conventions)."""

import argparse
import json
import sys

from repository.cli import say


def _retention_run(args: argparse.Namespace) -> int:
    from repository.management.progress import megabytes
    from repository.management.retention import progress_printer, run_policy

    progress = None if args.quiet else progress_printer()
    run = run_policy(args.policy, dry_run=args.dry_run, progress=progress)
    if progress is not None and sys.stderr.isatty():
        sys.stderr.write("\n")
    if run.policy.evicts:
        did = f"evicted {run.files_evicted} cached files"
    else:
        did = f"deleted {run.versions_deleted} versions ({run.files_deleted} files)"
    if run.dry_run:
        did = "would have " + did
    say(f"larder: run {run.pk} of {run.policy.name}: {did}, {megabytes(run.bytes_reclaimed)}")
    if args.json:
        print(json.dumps(_run_row(run), indent=2))
    return 0


def _run_row(run) -> dict:
    return {
        "id": run.pk,
        "policy": run.policy.name,
        "dry_run": run.dry_run,
        "status": run.status,
        "packages": run.packages_done,
        "versions_deleted": run.versions_deleted,
        "files_deleted": run.files_deleted,
        "files_evicted": run.files_evicted,
        "bytes_reclaimed": run.bytes_reclaimed,
        "errors": run.errors,
    }


def _retention_list(args: argparse.Namespace) -> int:
    from repository.models import RetentionPolicy

    for policy in RetentionPolicy.objects.prefetch_related("repositories").order_by("name"):
        repositories = ",".join(sorted(r.name for r in policy.repositories.all()))
        print("\t".join([str(policy.pk), policy.name, repositories or "-", policy.schedule or "-"]))
    return 0


def _pin(args: argparse.Namespace) -> int:
    from repository.management.retention import pin

    version = pin(args.repository, args.project, args.version, reason=args.reason, undo=args.undo)
    done = "unpinned" if args.undo else "pinned"
    say(f"larder: {done} {version.package.display_name} {version.version} in {args.repository}")
    return 0


def _trash_list(args: argparse.Namespace) -> int:
    from repository.management.retention import trash_entries
    from repository.retention.restore import label

    for entry in trash_entries(args.repository):
        when = f"{entry.trashed:%Y-%m-%d %H:%M}"
        purge = f"{entry.purge_after:%Y-%m-%d %H:%M}"
        print("\t".join([str(entry.pk), label(entry), str(entry.size), when, purge, entry.reason]))
    return 0


def _trash_restore(args: argparse.Namespace) -> int:
    from repository.management.retention import restore

    left = restore(args.repository, args.entry)
    say(f"larder: restored trash entry {args.entry} in {args.repository}")
    if left:
        say(f"larder: tags left where later publishes put them: {', '.join(left)}")
    return 0


def _trash_purge(args: argparse.Namespace) -> int:
    from repository.management.retention import purge

    purge(args.repository, args.entry)
    say(f"larder: purged trash entry {args.entry} in {args.repository}")
    return 0


def add_retention_commands(commands) -> None:
    retention = commands.add_parser("retention", help="list and run retention policies")
    actions = retention.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser(
        "run", help="run a policy now, showing progress (or only count with --dry-run)"
    )
    run.add_argument("policy", help="the policy's name or id")
    run.add_argument("--dry-run", action="store_true", help="count what would go; delete nothing")
    run.add_argument("--quiet", action="store_true", help="no progress on stderr")
    run.add_argument("--json", action="store_true", help="print the run's record as JSON")
    run.set_defaults(handler=_retention_run)
    listing = actions.add_parser("list", help="list policies: id, name, repositories, schedule")
    listing.set_defaults(handler=_retention_list)

    pin = commands.add_parser("pin", help="keep a version whatever retention policies say")
    pin.add_argument("repository")
    pin.add_argument("project")
    pin.add_argument("version")
    pin.add_argument("--reason", default="")
    pin.add_argument("--undo", action="store_true", help="unpin the version")
    pin.set_defaults(handler=_pin)

    trash = commands.add_parser("trash", help="list, restore and purge deleted versions")
    actions = trash.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser(
        "list", help="a repository's trash: id, what, bytes, deleted, purged after, why"
    )
    listing.add_argument("repository")
    listing.set_defaults(handler=_trash_list)
    for name, handler, text in [
        ("restore", _trash_restore, "put a trash entry back as it was"),
        ("purge", _trash_purge, "delete a trash entry for good now"),
    ]:
        action = actions.add_parser(name, help=text)
        action.add_argument("repository")
        action.add_argument("entry", type=int, help="the entry's id (from `trash list`)")
        action.set_defaults(handler=handler)
