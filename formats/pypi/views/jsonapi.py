"""`pypi/<project>/json` and `pypi/<project>/<version>/json`, cached like index pages."""

import hashlib
import json

from django.http import HttpRequest, HttpResponse
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from formats.pypi.jsonapi import project_json
from repository.access.markers import reads
from repository.refusals import Refusal, allow_methods
from repository.sources import DocumentSpec


def _normalized_version(version: str) -> str:
    try:
        return str(Version(version))
    except InvalidVersion:
        return version


def _serve(request: HttpRequest, project: str, version: str | None) -> HttpResponse:
    context = request.larder
    package = context.source.package(canonicalize_name(project))
    if package is None:
        raise Refusal(404, "Project not found")
    if version is not None:
        version = _normalized_version(version)
        if not package.versions.filter(version=version).exists():
            raise Refusal(404, "Version not found")
    key = "json" if version is None else "json:" + hashlib.sha256(version.encode()).hexdigest()[:32]
    fmt = context.format

    spec = DocumentSpec(
        key,
        "application/json",
        build=lambda repository, package: project_json(fmt, package, repository.name, version),
        serialize=lambda document: json.dumps(document, separators=(",", ":")).encode(),
        absolute_urls=True,
    )
    return context.source.document(request, spec, package)


@reads
@allow_methods("GET", "HEAD")
def project(request: HttpRequest, project: str) -> HttpResponse:
    return _serve(request, project, None)


@reads
@allow_methods("GET", "HEAD")
def release(request: HttpRequest, project: str, version: str) -> HttpResponse:
    return _serve(request, project, version)
