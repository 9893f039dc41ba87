"""`npm publish`: the body is read, the tarball checked, then everything recorded at once.

Steps, each refusing with its reason: parse the JSON body (tarball spooled), pick the one
version and tarball it carries, decode the tarball, read its package.json (the truth),
check names and versions agree, then store blob, version, asset and tags in one
transaction. Bad input never leaves a record behind.
"""

from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from formats.npm.attachment import decode_attachment
from formats.npm.body import BadBody, JsonBody
from formats.npm.metadata import parse_version, version_manifest
from formats.npm.names import name_errors, tag_error, tarball_filename, tarball_path
from formats.npm.summary import add_maintainer, refresh_summary
from formats.npm.tarball import TarballFacts, inspect_tarball
from repository.audit import record
from repository.formats import Format
from repository.models import Package, Repository, Tag, Version
from repository.refusals import Refusal
from repository.services.blobs import store_blob
from repository.services.packages import (
    AssetConflict,
    QuotaExceeded,
    add_asset,
    ensure_package,
    ensure_version,
)
from repository.storage import iter_file


@dataclass
class Upload:
    """A checked publish: what the tarball says, and the tags the client asked for."""

    name: str
    version: str
    tags: list[str]
    facts: TarballFacts
    tarball: IO[bytes]


def _only_version(document: dict[str, Any]) -> tuple[str, dict]:
    versions = document.get("versions")
    if not isinstance(versions, dict) or len(versions) != 1:
        raise BadBody("a publish must carry exactly one version")
    [(version, manifest)] = versions.items()
    if not isinstance(manifest, dict):
        raise BadBody("the version's manifest must be a JSON object")
    return version, manifest


def _only_tarball(document: dict[str, Any]) -> dict:
    attachments = document.get("_attachments")
    if not isinstance(attachments, dict):
        raise BadBody("a publish must carry the tarball in _attachments")
    tarballs = [a for key, a in attachments.items() if str(key).endswith(".tgz")]
    if len(tarballs) != 1 or not isinstance(tarballs[0], dict):
        raise BadBody("a publish must carry exactly one .tgz attachment")
    return tarballs[0]


def _requested_tags(document: dict[str, Any], version: str) -> list[str]:
    tags = document.get("dist-tags") or {}
    if not isinstance(tags, dict):
        raise BadBody("dist-tags must map tag names to the published version")
    if any(parse_version(target) != version for target in tags.values()):
        raise BadBody("dist-tags of a publish may only point at the published version")
    for tag in tags:
        if error := tag_error(tag):
            raise BadBody(error)
    return list(tags)


def read_upload(name: str, body: JsonBody) -> Upload:
    """Check a publish body against the URL and the tarball's own package.json."""
    document = body.document
    if not isinstance(document, dict):
        raise BadBody("request body must be a JSON object")
    if document.get("name", name) != name:
        raise BadBody(f"body names package {document.get('name')!r}, the URL {name!r}")
    errors = name_errors(name)
    if errors:
        raise BadBody(f"invalid package name {name!r}: {'; '.join(errors)}")
    claimed, _ = _only_version(document)
    version = parse_version(claimed)
    if version is None:
        raise BadBody(f"invalid semver version {claimed!r}")
    tags = _requested_tags(document, version)
    tarball, _ = decode_attachment(
        body, _only_tarball(document), settings.LARDER_NPM_MAX_BODY_BYTES
    )
    try:
        facts = inspect_tarball(tarball)
        if facts.manifest.get("name") != name:
            raise BadBody(
                f"the tarball's package.json names {facts.manifest.get('name')!r}, not {name!r}"
            )
        if parse_version(facts.manifest.get("version")) != version:
            raise BadBody(
                f"the tarball's package.json has version {facts.manifest.get('version')!r},"
                f" not {version!r}"
            )
    except BaseException:
        tarball.close()
        raise
    tarball.seek(0)
    return Upload(name, version, tags, facts, tarball)


@transaction.atomic
def publish(request, repository: Repository, fmt: Format, upload: Upload) -> Version:
    blob = store_blob(iter_file(upload.tarball), max_bytes=settings.LARDER_NPM_MAX_BODY_BYTES)
    package, _ = ensure_package(repository, fmt, upload.name)
    package = Package.objects.select_for_update().get(pk=package.pk)
    manifest = version_manifest(upload.facts, blob, upload.name, upload.version, request.user)
    version, created = ensure_version(
        package,
        upload.version,
        metadata={
            "manifest": manifest,
            "readme": upload.facts.readme,
            "readmeFilename": upload.facts.readme_filename,
        },
        uploader=request.user if request.user.is_authenticated else None,
    )
    if not created:
        raise Refusal(
            403, f"You cannot publish over the previously published version {upload.version}."
        )
    try:
        add_asset(
            repository,
            tarball_path(upload.name, upload.version),
            blob,
            filename=tarball_filename(upload.name, upload.version),
            package=package,
            version=version,
            uploader=request.user,
        )
    except AssetConflict as exc:
        raise Refusal(409, str(exc)) from None
    except QuotaExceeded as exc:
        raise Refusal(403, str(exc)) from None
    for tag in upload.tags:
        Tag.objects.update_or_create(package=package, name=tag, defaults={"version": version})
    add_maintainer(package, request.user)
    refresh_summary(package, fmt)
    record(
        request,
        "npm.publish",
        repository=repository,
        target=f"{upload.name}@{upload.version}",
        tags=upload.tags,
        sha256=blob.sha256,
    )
    return version
