"""One phase per server: start it, load the data, measure, time the clients, stop it."""

import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bench import clients, load, measure
from bench.config import Scale
from bench.data import (
    BIG_PROJECT,
    HUGE_FILE_PROJECT,
    NPM_PACKAGE,
    SMALL_FILE_PROJECT,
    Dataset,
    npm_version,
    write_wheel,
)
from bench.http import Client
from bench.model import Load, Results, Timing
from bench.servers.base import Running


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Context:
    scale: Scale
    dataset: Dataset
    results: Results
    workdir: Path
    load_budget: float

    def say(self, message: str) -> None:
        say(message)

    def measure(self, server: Running, scenarios: list[measure.Scenario]) -> None:
        measure.measure(
            server, scenarios, self.results, self.workdir, self.scale.concurrencies,
            self.scale.huge_concurrencies, self.scale.duration, self.say,
        )  # fmt: skip

    def sizes(self) -> dict[str, tuple[str, int]]:
        """project -> (filename, bytes) of its first wheel."""
        found = {}
        for wheel in self.dataset.wheels:
            found.setdefault(wheel.project, (wheel.filename, wheel.path.stat().st_size))
        return found

    def files(self) -> dict[str, tuple[str, int]]:
        """Download scenario -> (path below the artifact folder, bytes), as nginx serves it."""
        sizes = self.sizes()
        tarball = self.dataset.npm_versions[0]
        found = {
            key: (f"pypi/{sizes[project][0]}", sizes[project][1])
            for key, project in (("wheel-small", SMALL_FILE_PROJECT),
                                 ("wheel-huge", HUGE_FILE_PROJECT))
        }  # fmt: skip
        found["npm-tarball"] = (f"npm/{tarball.filename}", len(tarball.tarball))
        return found


def _record_load(ctx: Context, server: str, what: str, loaded: load.Loaded, total: int, threads):
    ctx.results.loads.append(Load(server, what, loaded.count, loaded.seconds, threads))
    ctx.say(f"  loaded {loaded.count:,}/{total:,} {what} in {loaded.seconds:.1f} s")
    if loaded.count < total:
        ctx.results.failures.append(
            f"{server}: only {loaded.count:,} of {total:,} {what} loaded within the "
            f"{ctx.load_budget:.0f} s budget; its pages were measured with what was loaded"
        )


def load_pypi(ctx: Context, server: Running) -> None:
    wheels = ctx.dataset.load_order()
    loaded = load.load_pypi(server.pypi, wheels, ctx.load_budget)
    _record_load(
        ctx, server.name, "PyPI files", loaded, len(wheels), server.pypi.upload_concurrency
    )


def load_npm(ctx: Context, server: Running) -> None:
    versions = ctx.dataset.npm_versions
    loaded = load.load_npm(server.npm, versions, ctx.load_budget)
    _record_load(ctx, server.name, "npm versions", loaded, len(versions),
                 server.npm.publish_concurrency)  # fmt: skip


# Pause before each settled publish: five times Larder's render of a 2,000-version package.
PUBLISH_SETTLE_SECONDS = 1.0
RIGHT_AFTER = "onto large, right after another"


class Recording(Protocol):
    """Where timings and failures go: a Context, or another bench's run (bench.proxy)."""

    results: Any  # with lists `timings` and `failures`

    def say(self, message: str) -> None: ...


def _record(ctx: Recording, server: str, action: str, case: str, seconds: list[float]) -> None:
    ctx.results.timings.append(Timing(action, server, case, seconds))
    ctx.say(f"  {action} ({case}): median {ctx.results.timings[-1].median:.2f} s")


def time_runs(ctx: Recording, server: str, action: str, case: str, runs: list) -> None:
    """Run each callable once, in order; a failing client is a failure, not a crash."""
    seconds = []
    for run in runs:
        try:
            seconds.append(run())
        except (RuntimeError, load.LoadError) as exc:
            ctx.results.failures.append(f"{server}: {action} ({case}) failed: {exc}")
            return
    _record(ctx, server, action, case, seconds)


def _time_publishes(
    ctx: Context, server: str, action: str, publish, first: list, later: list, again: list
) -> None:
    """Publishes of a new package, onto the large one, and onto it right after another.

    The cases take turns, so a drift of the machine during the phase lands on all alike.
    `first` and `onto large` start on a settled server (PUBLISH_SETTLE_SECONDS of pause):
    one publish's own latency, which the targets compare. `right after` follows an `onto
    large` publish at once, so it also waits for what that one left running (Larder
    renders the large package's documents after each write, and reads of them wait for
    the render): what a pipeline publishing twice in a row sees.
    """
    timed: dict[str, list[float]] = {"first": [], "onto large": [], RIGHT_AFTER: []}
    failed: set[str] = set()
    for items in zip(first, later, again, strict=True):
        for (case, seconds), item in zip(timed.items(), items, strict=True):
            if case in failed:
                continue
            if case != RIGHT_AFTER:
                time.sleep(PUBLISH_SETTLE_SECONDS)
            try:
                seconds.append(publish(item))
            except (RuntimeError, load.LoadError) as exc:
                ctx.results.failures.append(f"{server}: {action} ({case}) failed: {exc}")
                ctx.say(f"  {action} ({case}) FAILED: {exc}")
                failed.add(case)
    for case, seconds in timed.items():
        if case not in failed:
            _record(ctx, server, action, case, seconds)


def _timed_call(call) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def pypi_clients(ctx: Context, server: Running) -> None:
    """twine and bare uploads of a new project and onto the largest one, then uv installs."""
    folder = ctx.workdir / f"extra-{server.name}"
    folder.mkdir(exist_ok=True)
    target, client = server.pypi, Client(server.pypi.upload_url)
    repeats = range(ctx.scale.repeats)
    for action, upload, prefix, minor in (
        ("twine upload", lambda w: clients.twine_upload(target, w.path), "fresh-twine", 0),
        ("upload (HTTP)", lambda w: _timed_call(lambda: load.upload_wheel(client, target, w)),
         "fresh-http", 1),
    ):  # fmt: skip
        first = [write_wheel(folder, f"{prefix}-{i}", "1.0.0") for i in repeats]
        later = [write_wheel(folder, BIG_PROJECT, f"900{minor}.0.{2 * i}") for i in repeats]
        again = [write_wheel(folder, BIG_PROJECT, f"900{minor}.0.{2 * i + 1}") for i in repeats]
        _time_publishes(ctx, server.name, action, upload, first, later, again)
    packages = ctx.dataset.install_set
    time_runs(ctx, server.name, f"uv pip install ({len(packages)} packages)", "cold",
          [lambda: clients.uv_install(target.simple_url, packages) for _ in repeats])  # fmt: skip


def npm_clients(ctx: Context, server: Running) -> None:
    target, client = server.npm, Client(server.npm.registry_url)
    repeats = range(ctx.scale.repeats)
    for action, call, prefix, minor in (
        ("npm publish", lambda item: clients.npm_publish(target, item), "fresh-npm", 0),
        ("publish (HTTP)", lambda item: _timed_call(lambda: load.publish(client, target, item)),
         "fresh-http", 1),
    ):  # fmt: skip
        first = [npm_version(f"{prefix}-{i}", "1.0.0") for i in repeats]
        # Rising in publishing order: npm refuses to publish below `latest` without a tag.
        later = [npm_version(NPM_PACKAGE, f"9000.{minor}.{2 * i}") for i in repeats]
        again = [npm_version(NPM_PACKAGE, f"9000.{minor}.{2 * i + 1}") for i in repeats]
        _time_publishes(ctx, server.name, action, call, first, later, again)


@contextlib.contextmanager
def phase(ctx: Recording, name: str):
    """A server's phase: its failure is reported and the bench goes on with the next one."""
    ctx.say(f"{name}: starting")
    started = time.monotonic()
    try:
        yield
    except Exception as exc:
        ctx.results.failures.append(f"{name}: phase failed: {type(exc).__name__}: {exc}")
        ctx.say(f"{name}: FAILED: {exc}")
    ctx.say(f"{name}: done in {time.monotonic() - started:.0f} s")
