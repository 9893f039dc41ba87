"""An upstream's package, mirrored into the core model: packages, versions, files, tags.

Proxied packages are ordinary rows, so the UI, the API, downloads and their counts,
retention and the document cache work on them as on hosted ones. A file the upstream lists
becomes an asset with no blob yet, its URL and published digests in `metadata["upstream"]`;
its bytes come on the first download (files.py).

What the upstream forgets, Larder keeps: a version cached here stays when the upstream
stops listing it, unless the repository follows deletions. Versions younger than the
cooldown are not mirrored at all (so nothing serves them): they are named in the package's
`metadata["proxy"]["held_back"]` for the UI, and come in with the first refresh after their
cooldown ends. Where the upstream gives no publish time, the cooldown counts from when
Larder first saw the version (those listed at the first fetch count as old).
"""

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from repository.archives import unsafe_member_name
from repository.cache.invalidation import package_changed, read_at_once, repository_changed
from repository.cache.stamps import repository_content_changed
from repository.formats import get_format
from repository.models import Asset, Package, Repository, Tag, Version
from repository.proxy.client import Validators
from repository.proxy.index import UpstreamFile, UpstreamPackage, UpstreamVersion
from repository.proxy.settings import ProxySettings


def upstream_facts(file: UpstreamFile) -> dict[str, Any]:
    """What an asset keeps of where its bytes are and what they must hash to."""
    digests = {digest.algorithm: digest.hexdigest for digest in file.digests}
    return {"url": file.url, "size": file.size, "digests": digests, **digests}


# What a version the upstream listed in the first fetch counts as, when it gives no time.
_BEFORE_ANY_FETCH = datetime(1970, 1, 1, tzinfo=UTC)


def _seen(package: Package, version: UpstreamVersion, now: datetime) -> datetime:
    """When the version was published, or else first seen here: versions already listed
    when Larder first fetched the package count as old (the cooldown guards against what
    appears later, not against what the upstream has long had)."""
    if version.created is not None:
        return version.created
    state = package.metadata.get("proxy")
    if state is None:
        return _BEFORE_ANY_FETCH
    first = state.get("first_seen", {}).get(version.version)
    return datetime.fromisoformat(first) if first else now


def cooled(
    package: Package, found: UpstreamPackage, settings: ProxySettings, now: datetime
) -> tuple[list[UpstreamVersion], list[str], dict[str, str]]:
    """(versions old enough to serve, the names of those held back, first-seen times)."""
    first_seen = {}
    for version in found.versions:
        if version.created is None:
            first_seen[version.version] = _seen(package, version, now).isoformat()
    if not settings.held_back(found.name):
        return list(found.versions), [], first_seen
    cutoff = now - timedelta(days=settings.cooldown_days)
    served, held = [], []
    for version in found.versions:
        (served if _seen(package, version, now) <= cutoff else held).append(version)
    return served, [version.version for version in held], first_seen


def _dated(found: UpstreamVersion | UpstreamFile) -> dict[str, datetime]:
    """A new row's `created`: the upstream's time where it gives one (else now)."""
    return {"created": found.created} if found.created is not None else {}


def _version_fields(found: UpstreamVersion) -> dict[str, Any]:
    """What a version's row takes from the upstream, and follows it in."""
    return {
        "metadata": found.metadata,
        "yanked": found.yanked,
        "yanked_reason": found.yanked_reason,
        "deprecated": found.deprecated,
    }


def new_version(package: Package, found: UpstreamVersion, now: datetime) -> Version:
    """The unsaved row of a version new here (dated `now` where the upstream gives no
    time, so a first answer and the stored row agree)."""
    return Version(
        package=package,
        version=found.version,
        created=found.created or now,
        **_version_fields(found),
    )


def new_package(repository: Repository, found: UpstreamPackage, now: datetime) -> Package:
    """The unsaved row of a package new here, created and last changed `now`."""
    return Package(
        repository=repository,
        name=found.name,
        display_name=found.display_name,
        metadata=found.metadata,
        created=now,
        updated=now,
    )


class _Mirror:
    """One sync of one package; `changed` says whether readers must see something new.

    A package created by this sync has no rows to compare with: nothing is read first."""

    def __init__(
        self, repository: Repository, package: Package, *, created: bool, now: datetime
    ) -> None:
        self.repository = repository
        self.now = now
        self.package = package
        self.changed = False
        self.versions: dict[str, Version] = {}
        self.assets: dict[str, Asset] = {}
        self.tags_now: dict[str, int] = {}
        if not created:
            self.versions = {v.version: v for v in package.versions.all()}
            self.assets = {a.path: a for a in Asset.objects.filter(package=package)}
            self.tags_now = dict(package.tags.values_list("name", "version_id"))

    def versions_of(self, served: list[UpstreamVersion]) -> None:
        """Versions created (in one statement, however many) or brought up to date."""
        created = []
        for found in served:
            fields = _version_fields(found)
            version = self.versions.get(found.version)
            if version is None:
                created.append(new_version(self.package, found, self.now))
            elif any(getattr(version, key) != value for key, value in fields.items()):
                Version.objects.filter(pk=version.pk).update(**fields)
                self.changed = True
        rows = Version.objects.bulk_create(created, batch_size=500)
        self.versions.update((row.version, row) for row in rows)
        self.changed = self.changed or bool(rows)

    def files_of(self, served: list[UpstreamVersion]) -> None:
        """Files created (in one statement) or, while not cached, brought up to date."""
        created, seen = [], set()
        for version in served:
            for found in version.files:
                metadata = {**found.metadata, "upstream": upstream_facts(found)}
                if found.path in seen or unsafe_member_name(found.path):
                    continue  # listed twice (the first listing counts), or not a path here
                seen.add(found.path)
                asset = self.assets.get(found.path)
                if asset is None:
                    row = Asset(
                        repository=self.repository,
                        package=self.package,
                        version=self.versions[version.version],
                        path=found.path,
                        filename=found.filename,
                        content_type=found.content_type,
                        metadata=metadata,
                        **_dated(found),
                    )
                    created.append(row)
                elif not asset.cached and asset.metadata != {**asset.metadata, **metadata}:
                    # Facts of a file not fetched yet follow the upstream; a cached file's
                    # were checked against its bytes and stay.
                    merged = {**asset.metadata, **metadata}
                    Asset.objects.filter(pk=asset.pk).update(metadata=merged)
                    self.changed = True
        self.changed = bool(Asset.objects.bulk_create(created, batch_size=500)) or self.changed

    def forget_versions_except(self, kept: set[str]) -> None:
        gone = {self.versions.pop(name).pk for name in list(self.versions) if name not in kept}
        if gone:
            Version.objects.filter(pk__in=gone).delete()  # their tags with them
            self.tags_now = {n: pk for n, pk in self.tags_now.items() if pk not in gone}
            self.changed = True

    def tags(self, tags: dict[str, str]) -> None:
        current = self.tags_now
        wanted = {}
        for name, version in tags.items():
            if version in self.versions:
                wanted[name] = self.versions[version].pk
            elif name in current:
                # Its version is held back: the tag keeps what it pointed at here (or, when
                # new, is left to the format: npm moves `latest` to the newest release).
                wanted[name] = current[name]
        if current == wanted:
            return
        dropped = [name for name in current if name not in wanted]
        if dropped:
            Tag.objects.filter(package=self.package, name__in=dropped).delete()
        for name, version_id in wanted.items():
            if name in current and current[name] != version_id:
                Tag.objects.filter(package=self.package, name=name).update(version_id=version_id)
        Tag.objects.bulk_create(
            [
                Tag(package=self.package, name=name, version_id=version_id)
                for name, version_id in wanted.items()
                if name not in current
            ],
            update_conflicts=True,  # a tag another write made meanwhile (a restore)
            unique_fields=["package", "name"],
            update_fields=["version"],
        )
        self.changed = True


def _proxy_state(held: list[str], first_seen: dict[str, str], validators: Validators) -> dict:
    """What the package keeps of its sync: versions held back, and the validators."""
    return {
        "held_back": held,
        "first_seen": first_seen,
        "etag": validators.etag,
        "last_modified": validators.last_modified,
    }


def _created(
    repository: Repository,
    found: UpstreamPackage,
    settings: ProxySettings,
    validators: Validators,
    now: datetime,
) -> Package:
    """The row of a package new here, inserted with its whole state in one statement."""
    package = new_package(repository, found, now)
    _, held, first_seen = cooled(package, found, settings, now)
    package.metadata = {**found.metadata, "proxy": _proxy_state(held, first_seen, validators)}
    package.save(force_insert=True)
    return package


def mirror(
    repository: Repository,
    found: UpstreamPackage,
    settings: ProxySettings,
    validators: Validators,
    *,
    now: datetime | None = None,
    new: bool = False,
) -> UpstreamPackage:
    """Bring the repository's rows for `found.name` in line with the upstream's document;
    the document as served here (without the versions the cooldown holds back). `new`:
    the caller knows there is no row yet (its first fetch, under the single flight); an
    IntegrityError if there is one after all."""
    now = now or datetime.now(UTC)
    with transaction.atomic(), read_at_once():
        if new:
            package, created = _created(repository, found, settings, validators, now), True
        else:
            package, created = Package.objects.select_for_update().get_or_create(
                repository=repository,
                name=found.name,
                defaults={
                    "display_name": found.display_name,
                    "metadata": found.metadata,
                    "created": now,
                },
            )
        served, held, first_seen = cooled(package, found, settings, now)
        sync = _Mirror(repository, package, created=created, now=now)
        sync.versions_of(served)
        sync.files_of(served)
        if settings.follow_deletions:
            sync.forget_versions_except({version.version for version in found.versions})
        sync.tags(found.tags)
        # Merged, not replaced: what the format derived (npm's summary) stays.
        metadata = {
            **package.metadata,
            **found.metadata,
            "proxy": _proxy_state(held, first_seen, validators),
        }
        if package.metadata != metadata:
            shown_changed = {k: v for k, v in package.metadata.items() if k != "proxy"} != {
                k: v for k, v in metadata.items() if k != "proxy"
            } or package.metadata.get("proxy", {}).get("held_back") != held
            Package.objects.filter(pk=package.pk).update(metadata=metadata)
            package.metadata = metadata
            sync.changed = sync.changed or shown_changed
        if sync.changed or created:
            get_format(repository.format).refresh_derived_state(package)
        if created:
            # Its first answer, made before this, named `now` as its last change.
            Package.objects.filter(pk=package.pk).update(updated=now)
            repository_changed(repository)  # a new package: no documents of its own yet
        elif sync.changed:
            package_changed(package)
    return dataclasses.replace(found, versions=tuple(served))


def loose_file(repository: Repository, found: UpstreamFile) -> Asset:
    """A file no index lists (a generic upstream's), known from here on, bytes to come."""
    asset, created = Asset.objects.get_or_create(
        repository=repository,
        path=found.path,
        defaults={
            "filename": found.filename,
            "content_type": found.content_type,
            "metadata": {**found.metadata, "upstream": upstream_facts(found)},
        },
    )
    if created:
        repository_content_changed(repository.pk)
    return asset


def validators_of(package: Package | None) -> Validators:
    """What the upstream said about the package's document last time it sent one.

    None while versions are held back: their cooldown may have ended (or the package been
    exempted) with the upstream's document unchanged, and a 304 would keep them out."""
    state = package.metadata.get("proxy", {}) if package is not None else {}
    if state.get("held_back"):
        return Validators()
    return Validators(state.get("etag"), state.get("last_modified"))
