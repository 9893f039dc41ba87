"""`npm search`: GET /-/v1/search?text=&size=&from= over this repository's packages.

Reads one row per package (the summary each write keeps in Package.metadata).
"""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from formats.npm.packument import npm_time
from formats.npm.views.common import READS
from repository.access.markers import reads
from repository.models import Package
from repository.refusals import allow_methods

MAX_SIZE = 250


def _bounded(value: str | None, default: int, upper: int) -> int:
    try:
        return max(0, min(int(value), upper)) if value is not None else default
    except ValueError:
        return default


def _result(package: Package) -> dict:
    summary = package.metadata
    name = package.name
    return {
        "package": {
            "name": name,
            "scope": name[1:].split("/", 1)[0] if name.startswith("@") else "unscoped",
            "version": summary.get("latest") or "",
            "description": summary.get("description", ""),
            "keywords": summary.get("keywords", []),
            "date": npm_time(package.updated),
            "links": {},
            "maintainers": [
                {"username": m.get("name", ""), "email": m.get("email", "")}
                for m in summary.get("maintainers", [])
            ],
        },
        "score": {"final": 1.0, "detail": {"quality": 1.0, "popularity": 1.0, "maintenance": 1.0}},
        "searchScore": 1.0,
    }


@reads
@allow_methods(*READS)
def search(request: HttpRequest) -> HttpResponse:
    packages = request.larder.source.packages()
    for word in request.GET.get("text", "").split():
        packages = packages.filter(
            Q(name__icontains=word)
            | Q(metadata__description__icontains=word)
            | Q(metadata__keywords__icontains=word)
        )
    start = _bounded(request.GET.get("from"), 0, 10**6)
    size = _bounded(request.GET.get("size"), 20, MAX_SIZE)
    page = list(packages.order_by("name")[start : start + size])
    return JsonResponse(
        {
            "objects": [_result(p) for p in page],
            "total": packages.count(),
            "time": timezone.now().strftime("%a %b %d %Y %H:%M:%S GMT+0000 (UTC)"),
        }
    )
