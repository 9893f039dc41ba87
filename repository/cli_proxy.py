"""`larder proxy warm` and `larder proxy invalidate`: arguments in, messages out; the work is
repository/management/proxy.py's (see repository/cli.py for the conventions)."""

import argparse
import json
import sys
from dataclasses import asdict

from repository.cli import say


def _read(path: str) -> str:
    from django.core.management.base import CommandError

    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None


def _warm(args: argparse.Namespace) -> int:
    from django.core.management.base import CommandError

    from repository.management.progress import megabytes
    from repository.management.proxy import progress_printer, queue_warm, wait_for

    warm = queue_warm(args.repository, _read(args.file))
    say(f"larder: warm {warm.id} of {warm.repository}: {warm.items_total} items queued")
    if args.no_wait:
        print(warm.id)
        return 0
    progress = None if args.quiet else progress_printer()
    warm = wait_for(warm, progress, say)
    if progress is not None and sys.stderr.isatty():
        sys.stderr.write("\n")
    say(
        f"larder: warmed {warm.repository}: {warm.items_done} items, {warm.files_fetched} files "
        f"fetched ({megabytes(warm.bytes_fetched)}), {warm.files_present} already cached"
    )
    if args.json:
        print(json.dumps(asdict(warm), indent=2))
    for error in warm.errors:
        say(f"larder: {error}")
    if warm.error_count:
        raise CommandError(f"{warm.error_count} of {warm.items_total} items not warmed")
    return 0


def _invalidate(args: argparse.Namespace) -> int:
    from repository.management.proxy import drop_metadata

    name = drop_metadata(args.repository, args.package)
    what = name if name is not None else "every package"
    say(f"larder: {args.repository} will ask its upstream again for {what}")
    return 0


def add_proxy_commands(commands) -> None:
    proxy = commands.add_parser("proxy", help="warm and invalidate a proxy repository's cache")
    actions = proxy.add_subparsers(dest="action", required=True, metavar="ACTION")
    warm = actions.add_parser(
        "warm",
        help="fetch what a lock file pins into a proxy's cache (a Celery worker does it)",
        description="FILE is a requirements.txt or pylock.toml (PyPI), a package-lock.json "
        "(npm), or one path per line (generic); '-' reads standard input. The command waits "
        "for a worker, showing progress, and fails if any item could not be warmed.",
    )
    warm.add_argument("repository")
    warm.add_argument("file")
    warm.add_argument("--no-wait", action="store_true", help="queue it, print its id, exit")
    warm.add_argument("--quiet", action="store_true", help="no progress on stderr")
    warm.add_argument("--json", action="store_true", help="print the warm's record as JSON")
    warm.set_defaults(handler=_warm)
    invalidate = actions.add_parser(
        "invalidate",
        help="drop upstream metadata: the next request for it asks the upstream again",
    )
    invalidate.add_argument("repository")
    invalidate.add_argument("package", nargs="?", help="only this package (default: all)")
    invalidate.set_defaults(handler=_invalidate)
