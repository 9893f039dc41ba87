"""`pypi/<project>/json` and `pypi/<project>/<version>/json`, cached like index pages."""

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from formats.pypi.jsonapi import project_json
from formats.pypi.views.http import allow_methods, not_found
from repository.access.markers import reads
from repository.documents import serve_document
from repository.hotcache import find_package
from repository.models import Version as VersionRow
from repository.urlbase import base_url


def _normalized_version(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def _serve(request: HttpRequest, project: str, version: str | None) -> HttpResponse:
    repository = request.larder_repository
    package = find_package(request, canonicalize_name(project))
    if package is None:
        return not_found(request, "Project")
    if version is not None:
        version = _normalized_version(version)
        if not VersionRow.objects.filter(package=package, version=version).exists():
            return not_found(request, "Version")
    key = "json" if version is None else "json:" + hashlib.sha256(version.encode()).hexdigest()[:32]
    fmt = request.larder_format

    def render() -> bytes:
        document = project_json(fmt, package, repository.name, version)
        return json.dumps(document, separators=(",", ":")).encode()

    return serve_document(
        request,
        repository=repository,
        package=package,
        key=key,
        content_type="application/json",
        render=render,
        base_url=base_url(request),
    )


@reads
@allow_methods("GET", "HEAD")
def project(request: HttpRequest, project: str) -> HttpResponse:
    return _serve(request, project, None)


@reads
@allow_methods("GET", "HEAD")
def release(request: HttpRequest, project: str, version: str) -> HttpResponse:
    return _serve(request, project, version)
