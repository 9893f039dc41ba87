"""The phases of bench/retention.py, each run as `python -m bench.retention_phases PHASE`,
so each process's peak memory is its own. Each prints one JSON line last."""

import json
import random
import signal
import statistics
import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from repository.formats import get_format  # noqa: E402
from repository.models import (  # noqa: E402
    AuditEvent,
    Package,
    Repository,
    RetentionPolicy,
    TrashEntry,
    Version,
)
from repository.retention.policies import create_policy  # noqa: E402
from repository.retention.preview import Cursor, page, policy_scope  # noqa: E402
from repository.retention.run import execute, queue_run  # noqa: E402
from repository.services.blobs import store_bytes  # noqa: E402
from repository.services.packages import add_asset, ensure_version  # noqa: E402

REPOSITORY = "bench"
POLICY = "bench"

LOAD_SQL = """
INSERT INTO repository_repository (name, format, kind, description, anonymous_read,
    redeploy_policy, delete_policy, trash_days, settings, generation, created, updated)
VALUES ('bench', 'pypi', 'hosted', '', true, 'forbidden', 'allowed', 7, '{{}}', 0, now(), now());
INSERT INTO repository_package (repository_id, name, display_name, metadata, generation,
    created, updated)
SELECT r.id, 'pkg-' || lpad(i::text, 6, '0'), 'pkg-' || lpad(i::text, 6, '0'), '{{}}', 0,
    now(), now()
FROM repository_repository r, generate_series(1, {packages}) i WHERE r.name = 'bench';
INSERT INTO repository_version (package_id, version, metadata, yanked, yanked_reason,
    deprecated, created, last_downloaded, download_count)
SELECT p.id, '1.' || v, '{{}}', false, '', '', now() - ({versions} - v) * interval '1 day',
    CASE WHEN v % 10 = 0 THEN now() - interval '2 days' END, 0
FROM repository_package p, generate_series(0, {versions} - 1) v;
INSERT INTO repository_blob (sha256, size, md5, sha1, sha512, blake2b_256, created, last_seen)
SELECT encode(sha256(('v' || id)::bytea), 'hex'), 1000 + id % 9000, '', '', '', '', now(),
    now()
FROM repository_version;
INSERT INTO repository_asset (repository_id, path, package_id, version_id, blob_id, filename,
    content_type, metadata, created, updated, download_count)
SELECT p.repository_id, 'files/' || p.name || '/' || v.version || '/' || p.name || '-'
    || v.version || '.tar.gz', p.id, v.id, encode(sha256(('v' || v.id)::bytea), 'hex'),
    p.name || '-' || v.version || '.tar.gz', 'application/octet-stream', '{{}}', v.created,
    v.created, 0
FROM repository_version v JOIN repository_package p ON p.id = v.package_id;
ANALYZE;
"""


def _answer(**values) -> None:
    print(json.dumps(values), flush=True)


def load(packages: int, versions: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(LOAD_SQL.format(packages=packages, versions=versions))
    repository = Repository.objects.get(name=REPOSITORY)
    create_policy(POLICY, repositories=[repository], keep_newest=10, older_than_days=30)
    _answer(versions=Version.objects.count())


def _run(dry_run: bool) -> None:
    policy = RetentionPolicy.objects.get(name=POLICY)
    run = execute(queue_run(policy, trigger="cli", dry_run=dry_run))
    _answer(
        status=run.status,
        versions=run.versions_deleted,
        bytes=run.bytes_reclaimed,
        errors=run.error_count,
    )


def preview_page(start: str) -> None:
    rules, repositories = policy_scope(RetentionPolicy.objects.get(name=POLICY))
    started = time.monotonic()
    found = page(rules, repositories, Cursor(REPOSITORY if start else "", start, 0), 100)
    _answer(page_seconds=time.monotonic() - started, rows=len(found.items))


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples) or [0.0]
    return {
        "count": len(samples),
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "max": ordered[-1],
    }


def probe(seconds: float) -> None:
    """Uploads and index reads of random packages until `seconds` pass or SIGINT comes."""

    stopped = []
    signal.signal(signal.SIGINT, lambda *_: stopped.append(True))
    repository = Repository.objects.get(name=REPOSITORY)
    fmt = get_format(repository.format)
    names = list(Package.objects.filter(repository=repository).values_list("name", flat=True))
    client = Client()
    uploads, reads = [], []
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline and not stopped:
        number += 1
        package = Package.objects.get(repository=repository, name=random.choice(names))
        started = time.monotonic()
        version, _ = ensure_version(package, f"9.{number}.{random.randrange(10**9)}")
        add_asset(
            repository,
            f"files/{package.name}/{version.version}/{package.name}-{version.version}.tgz",
            store_bytes(f"probe {version.version}".encode()),
            filename=f"{package.name}-{version.version}.tgz",
            package=package,
            version=version,
        )
        uploads.append(time.monotonic() - started)
        started = time.monotonic()
        response = client.get(f"/repository/{REPOSITORY}/simple/{random.choice(names)}/")
        assert response.status_code == 200, response.status_code
        reads.append(time.monotonic() - started)
        time.sleep(0.05)
    _answer(upload=_stats(uploads), read=_stats(reads), format=fmt.name)


def count() -> None:
    _answer(
        versions=Version.objects.count(),
        trash=TrashEntry.objects.count(),
        audit=AuditEvent.objects.filter(action="retention.delete").count(),
    )


def main(argv: list[str]) -> None:
    phase, *args = argv
    if phase == "load":
        load(int(args[0]), int(args[1]))
    elif phase == "dry-run":
        _run(dry_run=True)
    elif phase == "run":
        _run(dry_run=False)
    elif phase == "page":
        preview_page(args[0])
    elif phase == "probe":
        probe(float(args[0]))
    elif phase == "count":
        count()
    else:
        raise SystemExit(f"unknown phase {phase}")


if __name__ == "__main__":
    main(sys.argv[1:])
