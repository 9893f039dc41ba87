"""Packuments (GET), publish and deprecate (PUT), single versions, couch-style unpublish."""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import changes, packument
from formats.npm.body import BadBody, JsonBody
from formats.npm.publish import publish, read_upload
from formats.npm.views.common import READS, find_package, no_such_package, read_body
from repository import negotiation
from repository.access.markers import reads, reads_and_writes, writes
from repository.refusals import Refusal, allow_methods

_ABBREVIATED = packument.ABBREVIATED_CONTENT_TYPE
_FULL = packument.FULL_CONTENT_TYPE


def wants_abbreviated(request: HttpRequest) -> bool:
    """Installers ask for the abbreviated document by name; anything else gets the full one."""
    ranges = negotiation.accepted(request)
    abbreviated = negotiation.quality(ranges, _ABBREVIATED, exact=True)
    return abbreviated > 0 and abbreviated >= negotiation.quality(ranges, _FULL, exact=True)


def serve_packument(request: HttpRequest, name: str) -> HttpResponse:
    source = request.larder.source
    if request.GET.get("write") == "true":
        # Read right before a write (deprecate, unpublish): it must show the current _rev.
        response = source.document(request, packument.document("full"), find_package(request, name))
        response["Cache-Control"] = "no-cache"
        return response
    key = "abbreviated" if wants_abbreviated(request) else "full"
    response = source.package_document(request, packument.document(key), name)
    if response is None:
        raise no_such_package(name)
    return response


def _spooled_deprecation(body: JsonBody) -> bool:
    """Whether a `deprecated` message was too long to keep in memory (and so not read)."""
    versions = body.document.get("versions")
    entries = versions.values() if isinstance(versions, dict) else []
    return any(
        isinstance(entry, dict) and body.spooled_string(entry.get("deprecated"))
        for entry in entries
    )


def _write(request: HttpRequest, name: str) -> HttpResponse:
    repository = request.larder.write_target
    fmt = request.larder.format
    with read_body(request) as body:
        if isinstance(body.document, dict) and body.document.get("_attachments"):
            upload = read_upload(name, body)
            with upload.tarball:
                version = publish(request, repository, fmt, upload)
            return JsonResponse(
                {"ok": True, "id": name, "version": version.version, "success": True},
                status=201,
            )
        document = body.document
        if not isinstance(document, dict):
            raise BadBody("request body must be a JSON object")
        if _spooled_deprecation(body):
            raise Refusal(400, "deprecation messages must be shorter than 64 KiB")
    changed = changes.apply_deprecations(
        request, repository, fmt, find_package(request, name), document
    )
    return JsonResponse({"ok": True, "id": name, "changed": changed}, status=200)


@reads_and_writes
@allow_methods("GET", "HEAD", "PUT")
def package_root(request: HttpRequest, name: str) -> HttpResponse:
    if request.method == "PUT":
        return _write(request, name)
    return serve_packument(request, name)


def _version_key(version: str) -> str:
    """RenderedDocument keys are short; long versions are hashed."""
    key = f"version:{version}"
    return key if len(key) <= 64 else "version#" + hashlib.sha256(version.encode()).hexdigest()


@reads
@allow_methods(*READS)
def package_version(request: HttpRequest, name: str, ref: str) -> HttpResponse:
    """`GET /<name>/<version|tag>`: one version's document."""
    package = find_package(request, name)
    tagged = package.tags.filter(name=ref).values_list("version__version", flat=True).first()
    version = package.versions.filter(version=tagged or ref).first()
    if version is None:
        raise Refusal(404, f"version {ref} of {name} not found")
    spec = packument.spec(
        _version_key(version.version),
        packument.FULL_CONTENT_TYPE,
        lambda repository, package: packument.served_manifest(repository, package, version),
    )
    return request.larder.source.document(request, spec, package)


@writes
@allow_methods("PUT", "DELETE")
def package_revision(request: HttpRequest, name: str, rev: str) -> HttpResponse:
    """Unpublish, CouchDB style: PUT the document minus versions, or DELETE it whole."""
    repository = request.larder.write_target
    package = find_package(request, name)
    if request.method == "PUT":
        with read_body(request) as body:
            document = body.document
        if not isinstance(document, dict):
            raise BadBody("request body must be a JSON object")
        removed = changes.unpublish_versions(request, repository, package, document, rev)
        return JsonResponse({"ok": True, "id": name, "removed": removed}, status=201)
    changes.unpublish_package(request, repository, package, rev)
    return JsonResponse({"ok": True, "id": name})
