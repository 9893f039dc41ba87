"""`larder`: the operator's command line.

Non-interactive and scriptable: data (tokens, listings) on stdout, messages on stderr.
Exit codes: 0 done, 1 the command failed (the reason is on stderr), 2 bad usage.
The work itself lives in repository/management/ and the core's services; this module only
parses arguments, calls them and prints.
"""

import argparse
import json
import os
import sys
from collections.abc import Callable

from repository.env import env_str

Handler = Callable[[argparse.Namespace], int]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _serve(args: argparse.Namespace) -> int:
    from repository.celery import ensure_broker_dirs
    from repository.management.serve import (
        beat_process,
        bind_address,
        web_process,
        worker_process,
    )
    from repository.management.supervisor import Supervisor

    ensure_broker_dirs()
    roles = {"web": web_process, "worker": worker_process, "beat": beat_process}
    wanted = args.roles or (["web"] if args.web_only else list(roles))
    if "web" in wanted:
        say(f"larder: serving on http://{bind_address()}/ ({', '.join(wanted)})")
    return Supervisor([roles[role]() for role in wanted]).run()


def _migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity, stdout=sys.stderr)
    return 0


def _createadmin(args: argparse.Namespace) -> int:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.core.management.base import CommandError

    from repository.management.accounts import ensure_admin

    password = env_str("LARDER_ADMIN_PASSWORD") or None
    if password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("LARDER_ADMIN_PASSWORD: " + " ".join(exc.messages)) from None
    result = ensure_admin(args.username, password)
    if result.generated_password:
        say(
            f"larder: created superuser {args.username!r} with the password "
            f"{result.generated_password} (shown only now; LARDER_ADMIN_PASSWORD sets it)"
        )
    elif result.created:
        say(f"larder: created superuser {args.username!r}")
    elif result.password_changed:
        say(f"larder: updated the password of {args.username!r}")
    else:
        say(f"larder: superuser {args.username!r} is up to date")
    return 0


def _repository_row(repository) -> dict:
    return {
        "name": repository.name,
        "format": repository.format,
        "kind": repository.kind,
        "private": not repository.anonymous_read,
        "redeploy_policy": repository.redeploy_policy,
        "delete_policy": repository.delete_policy,
        "trash_days": repository.trash_days,
        "description": repository.description,
    }


def _print_repositories(rows: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        visibility = "private" if row["private"] else "public"
        columns = [row["name"], row["format"], row["kind"], visibility]
        columns += [f"redeploy:{row['redeploy_policy']}", f"delete:{row['delete_policy']}"]
        print("\t".join(columns))


def _repo_create(args: argparse.Namespace) -> int:
    from django.core.management.base import CommandError

    from repository.services.repositories import create_repository

    fields = {"description": args.description}
    for name in ("redeploy_policy", "delete_policy", "trash_days"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    try:
        repository = create_repository(
            args.name, args.format, kind=args.kind, private=args.private, actor=None, **fields
        )
    except ValueError as exc:  # the service's reasons are written for people
        raise CommandError(str(exc)) from None
    say(f"larder: created repository {repository.name}")
    _print_repositories([_repository_row(repository)], args.json)
    return 0


def _repo_list(args: argparse.Namespace) -> int:
    from repository.models import Repository

    rows = [_repository_row(repository) for repository in Repository.objects.order_by("name")]
    _print_repositories(rows, args.json)
    return 0


def _token_create(args: argparse.Namespace) -> int:
    from repository.management.accounts import issue_token

    plain = issue_token(
        args.user,
        name=args.name,
        expires_in_days=args.expires,
        readonly=args.readonly,
        repository_names=args.repository,
    )
    print(plain)
    return 0


def _yank(args: argparse.Namespace) -> int:
    from repository.management.yanking import yank

    version = yank(args.repository, args.project, args.version, reason=args.reason, undo=args.undo)
    done = "un-yanked" if args.undo else "yanked"
    say(f"larder: {done} {version.package.display_name} {version.version} in {args.repository}")
    return 0


def _retention_run(args: argparse.Namespace) -> int:
    from repository.management.retention import megabytes, progress_printer, run_policy

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="larder",
        description="Larder, the artifact repository: serve it and administer it.",
        epilog="Settings come from the environment: see docs/configuration.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="run the web server, a Celery worker and beat until stopped"
    )
    serve.add_argument(
        "--web-only", action="store_true", help="only the web server (run worker and beat apart)"
    )
    serve.set_defaults(handler=_serve, roles=None)
    for role, text in [
        ("worker", "run only a Celery worker (as many as you like)"),
        ("beat", "run only Celery beat (exactly one per deployment)"),
    ]:
        commands.add_parser(role, help=text).set_defaults(
            handler=_serve, roles=[role], web_only=False
        )

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    migrate.set_defaults(handler=_migrate)

    admin = commands.add_parser(
        "createadmin",
        help="ensure the superuser exists (password from LARDER_ADMIN_PASSWORD)",
        description="Create the superuser, or bring its password in line with "
        "LARDER_ADMIN_PASSWORD. Without that variable a new user gets a generated password, "
        "printed once on stderr. Safe to run on every start.",
    )
    admin.add_argument("--username", default="admin")
    admin.set_defaults(handler=_createadmin)

    _add_repo_commands(commands)
    _add_token_commands(commands)

    yank = commands.add_parser("yank", help="yank a version (installs skip it unless pinned)")
    yank.add_argument("repository")
    yank.add_argument("project")
    yank.add_argument("version")
    yank.add_argument("--reason", default="", help="shown to clients (PEP 592)")
    yank.add_argument("--undo", action="store_true", help="un-yank the version")
    yank.set_defaults(handler=_yank)
    _add_retention_commands(commands)
    return parser


def _add_retention_commands(commands) -> None:
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


def _add_repo_commands(commands) -> None:
    repo = commands.add_parser("repo", help="create and list repositories")
    actions = repo.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a repository")
    create.add_argument("name")
    create.add_argument("--format", required=True, help="pypi, npm, generic, ...")
    create.add_argument("--kind", default="hosted", help="hosted (the default)")
    create.add_argument(
        "--private", action="store_true", help="no anonymous reads (default: anyone may read)"
    )
    create.add_argument(
        "--redeploy",
        dest="redeploy_policy",
        choices=["forbidden", "allowed"],
        help="may a file be replaced by different bytes? (default: forbidden)",
    )
    create.add_argument(
        "--delete",
        dest="delete_policy",
        choices=["allowed", "deployers", "forbidden"],
        help="who may delete versions and files: users with the delete right (allowed, the "
        "default), anyone who may publish (deployers), or nobody but retention (forbidden)",
    )
    create.add_argument(
        "--trash-days",
        type=int,
        metavar="DAYS",
        help="days deleted versions stay restorable (default 7; 0 deletes at once)",
    )
    create.add_argument("--description", default="")
    create.add_argument("--json", action="store_true", help="print the repository as JSON")
    create.set_defaults(handler=_repo_create)
    listing = actions.add_parser(
        "list", help="list repositories: name, format, kind, visibility, redeploy, delete"
    )
    listing.add_argument("--json", action="store_true", help="a JSON array instead of TSV")
    listing.set_defaults(handler=_repo_list)


def _add_token_commands(commands) -> None:
    token = commands.add_parser("token", help="issue API tokens")
    actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser(
        "create", help="create an API token for a user; prints only the token"
    )
    create.add_argument("--user", required=True, help="the user the token acts as")
    create.add_argument("--name", default="", help="a label to recognise it by")
    create.add_argument("--expires", type=int, metavar="DAYS", help="valid for DAYS days")
    create.add_argument("--readonly", action="store_true", help="may read, never write")
    create.add_argument(
        "--repository",
        action="append",
        metavar="NAME",
        help="limit the token to this repository (repeatable)",
    )
    create.set_defaults(handler=_token_create)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repository.settings")
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management.base import CommandError
    from django.db import DatabaseError

    try:
        _setup_django()
        return args.handler(args)
    except ImproperlyConfigured as exc:
        say(f"larder: configuration error: {exc}")
    except CommandError as exc:
        say(f"larder: error: {exc}")
    except DatabaseError as exc:
        say(f"larder: database error: {exc} (has `larder migrate` run?)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
