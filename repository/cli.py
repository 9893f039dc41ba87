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
    from repository.management.serve import (
        beat_process,
        bind_address,
        web_processes,
        worker_process,
    )
    from repository.management.supervisor import Supervisor

    roles = {
        "web": web_processes,
        "worker": lambda: [worker_process()],
        "beat": lambda: [beat_process()],
    }
    wanted = args.roles or (["web"] if args.web_only else list(roles))
    specs = [spec for role in wanted for spec in roles[role]()]
    if "web" in wanted:
        say(f"larder: serving on http://{bind_address()}/ ({', '.join(wanted)})")
    return Supervisor(specs).run()


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
    if args.kind == "group":
        fields["settings"] = {
            "members": args.member,
            "write_to": args.write_to,
            "claims": args.claim,
        }
    if args.kind == "proxy":
        if not args.upstream:
            raise CommandError("a proxy repository needs --upstream URL")
        fields["settings"] = {"proxy": _proxy_settings(args)}
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
    from repository.cli_proxy import add_proxy_commands
    from repository.cli_retention import add_retention_commands

    add_retention_commands(commands)
    add_proxy_commands(commands)
    return parser


def _proxy_settings(args: argparse.Namespace) -> dict:
    """settings.proxy from the flags given (the rest keep their defaults)."""
    proxy: dict = {"upstream": args.upstream}
    for flag in ("metadata_ttl", "negative_ttl", "cooldown_days", "max_file_bytes"):
        if getattr(args, flag) is not None:
            proxy[flag] = getattr(args, flag)
    if args.offline:
        proxy["offline"] = True
    if args.read_ahead is not None:
        proxy["read_ahead"] = args.read_ahead
    for flag in ("allow", "deny"):
        if getattr(args, flag):
            proxy[flag] = getattr(args, flag)
    if args.upstream_token:
        proxy["auth"] = {"token": os.environ[args.upstream_token]}
    elif args.upstream_user:
        user, _, variable = args.upstream_user.partition(":")
        proxy["auth"] = {"username": user, "password": os.environ.get(variable, "")}
    return proxy


def _add_proxy_flags(create) -> None:
    create.add_argument("--upstream", metavar="URL", help="a proxy's upstream registry URL")
    for flag, what in (
        ("metadata-ttl", "seconds an upstream index document is fresh (default 600)"),
        ("negative-ttl", "seconds an upstream 404 is remembered (default 60)"),
        ("cooldown-days", "hide upstream versions younger than this (default 0: none)"),
        ("max-file-bytes", "the largest file fetched from the upstream"),
    ):
        create.add_argument(f"--{flag}", type=int, help=what)
    create.add_argument("--offline", action="store_true", help="a proxy never asks its upstream")
    create.add_argument(
        "--read-ahead",
        action=argparse.BooleanOptionalAction,
        help="a proxy fetches what clients ask for next, in the background (npm: the "
        "dependencies and tarball of each package read; default off)",
    )
    create.add_argument(
        "--allow", action="append", default=[], help="a name pattern a proxy may ask for"
    )
    create.add_argument(
        "--deny", action="append", default=[], help="a name pattern a proxy never asks for"
    )
    create.add_argument(
        "--upstream-token",
        metavar="ENV",
        help="the environment variable holding a bearer token for the upstream",
    )
    create.add_argument(
        "--upstream-user",
        metavar="USER:ENV",
        help="a Basic user for the upstream, and the variable holding its password",
    )


def _add_repo_commands(commands) -> None:
    repo = commands.add_parser("repo", help="create and list repositories")
    actions = repo.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a repository")
    create.add_argument("name")
    create.add_argument("--format", required=True, help="pypi, npm, generic, ...")
    create.add_argument("--kind", default="hosted", help="hosted (the default), proxy or group")
    _add_proxy_flags(create)
    create.add_argument(
        "--member",
        action="append",
        default=[],
        help="a group's member, in the order they are asked (repeat: --member a --member b)",
    )
    create.add_argument("--write-to", help="the hosted member a group's uploads land in")
    create.add_argument(
        "--claim",
        action="append",
        default=[],
        help="a name pattern a group keeps for its hosted members (corp-*, @corp/*)",
    )
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
