"""Packuments (GET), publish and deprecate (PUT), single versions, couch-style unpublish."""

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import changes, packument
from formats.npm.body import JsonBody
from formats.npm.errors import NpmError, method_not_allowed, speaks_npm_errors
from formats.npm.publish import publish, read_upload
from formats.npm.views.common import READS, find_package, read_body
from repository.access.markers import maintains, reads, reads_and_writes
from repository.documents import serve_document
from repository.urlbase import base_url

_ABBREVIATED = packument.ABBREVIATED_CONTENT_TYPE


def _quality(request: HttpRequest) -> dict[str, float]:
    qualities = {}
    for item in request.META.get("HTTP_ACCEPT", "").split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            qualities[media.lower()] = float(q)
        except ValueError:
            qualities[media.lower()] = 0.0
    return qualities


def wants_abbreviated(request: HttpRequest) -> bool:
    """Installers ask for the abbreviated document first; anything else gets the full one."""
    q = _quality(request)
    return q.get(_ABBREVIATED, 0) > 0 and q[_ABBREVIATED] >= q.get("application/json", 0)


def _serve(request, package, key: str, content_type: str, render) -> HttpResponse:
    """A stored document; `render` runs only when none is current."""
    return serve_document(
        request,
        repository=request.larder_repository,
        package=package,
        key=key,
        content_type=content_type,
        render=render,
        base_url=base_url(request),
        vary="Accept",
    )


def serve_packument(request: HttpRequest, name: str) -> HttpResponse:
    package = find_package(request, name)
    writing = request.GET.get("write") == "true"
    key = "abbreviated" if wants_abbreviated(request) and not writing else "full"
    repository = request.larder_repository
    response = _serve(
        request,
        package,
        key,
        packument.DOCUMENTS[key],
        lambda: packument.render(repository, package, key),
    )
    if writing:
        # Read right before a write (deprecate, unpublish): it must show the current _rev.
        response["Cache-Control"] = "no-cache"
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
    repository = request.larder_repository
    fmt = request.larder_format
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
            raise NpmError(400, "request body must be a JSON object")
        if _spooled_deprecation(body):
            raise NpmError(400, "deprecation messages must be shorter than 64 KiB")
    changed = changes.apply_deprecations(
        request, repository, fmt, find_package(request, name), document
    )
    return JsonResponse({"ok": True, "id": name, "changed": changed}, status=200)


@reads_and_writes
@speaks_npm_errors
def package_root(request: HttpRequest, name: str) -> HttpResponse:
    if request.method in READS:
        return serve_packument(request, name)
    if request.method == "PUT":
        return _write(request, name)
    return method_not_allowed("GET", "HEAD", "PUT")


def _version_key(version: str) -> str:
    """RenderedDocument keys are short; long versions are hashed."""
    key = f"version:{version}"
    return key if len(key) <= 64 else "version#" + hashlib.sha256(version.encode()).hexdigest()


@reads
@speaks_npm_errors
def package_version(request: HttpRequest, name: str, ref: str) -> HttpResponse:
    """`GET /<name>/<version|tag>`: one version's document."""
    if request.method not in READS:
        return method_not_allowed(*READS)
    package = find_package(request, name)
    tagged = package.tags.filter(name=ref).values_list("version__version", flat=True).first()
    version = package.versions.filter(version=tagged or ref).first()
    if version is None:
        raise NpmError(404, f"version {ref} of {name} not found")
    return _serve(
        request,
        package,
        _version_key(version.version),
        "application/json",
        lambda: packument.to_bytes(
            packument.served_manifest(request.larder_repository, package, version)
        ),
    )


@maintains
@speaks_npm_errors
def package_revision(request: HttpRequest, name: str, rev: str) -> HttpResponse:
    """Unpublish, CouchDB style: PUT the document minus versions, or DELETE it whole."""
    repository = request.larder_repository
    package = find_package(request, name)
    if request.method == "PUT":
        with read_body(request) as body:
            document = body.document
        if not isinstance(document, dict):
            raise NpmError(400, "request body must be a JSON object")
        removed = changes.unpublish_versions(
            request, repository, request.larder_format, package, document, rev
        )
        return JsonResponse({"ok": True, "id": name, "removed": removed}, status=201)
    if request.method == "DELETE":
        changes.unpublish_package(request, repository, package, rev)
        return JsonResponse({"ok": True, "id": name})
    return method_not_allowed("PUT", "DELETE")
