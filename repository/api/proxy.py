"""Warming a proxy's cache and dropping its upstream metadata: for the repository's admins.

`POST .../warm/` with `{"file": "<a lock file's text>"}` or `{"items": [...]}` (names, or
`{"name", "version"}` objects; paths for generic proxies) answers 202 with the warm's
record, which `GET .../warm/<id>/` shows while a worker walks it. `POST .../invalidate/`,
with `{"package": name}` or for every package. Views parse and authorize; the work is
repository/proxy/'s.
"""

from datetime import UTC, datetime

from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from repository.api.access import readable_repository, require_role
from repository.api.errors import Rejected
from repository.api.links import api_url
from repository.models import Repository, Role
from repository.proxy.manage import file_items, invalidate, require_proxy, start_warm
from repository.proxy.shared import StateUnavailable
from repository.proxy.warm import Item, Warm, load


class StateDown(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "the shared state (Redis) is unreachable"


def _administered(request, name: str, what: str) -> Repository:
    repository = readable_repository(request, name)
    require_role(request, repository, Role.ADMIN, f"{what} {name}")
    return repository


def _when(timestamp: float | None) -> str | None:
    return datetime.fromtimestamp(timestamp, UTC).isoformat() if timestamp else None


def warm_json(request, warm: Warm) -> dict:
    fields = ("id", "repository", "status", "items_total", "items_done", "files_fetched")
    fields += ("bytes_fetched", "files_present", "error_count", "errors")
    return {
        **{field: getattr(warm, field) for field in fields},
        "created": _when(warm.created),
        "finished": _when(warm.finished),
        "url": api_url(request, "proxy-warm-detail", name=warm.repository, warm_id=warm.id),
    }


def _listed(entries) -> list[Item]:
    if not isinstance(entries, list):
        raise Rejected("items must be a list")
    items = []
    for entry in entries:
        if isinstance(entry, str):
            entry = {"name": entry}
        name = entry.get("name") if isinstance(entry, dict) else None
        version = entry.get("version") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or not isinstance(version, str | None):
            raise Rejected('each item is a name or {"name": ..., "version": ...}')
        items.append((name, version or None))
    return items


def _items(repository: Repository, data) -> list[Item]:
    given = [key for key in ("file", "items") if isinstance(data, dict) and key in data]
    if len(given) != 1:
        raise Rejected("send either `file` (a lock file's text) or `items` (a list)")
    if given == ["items"]:
        return _listed(data["items"])
    if not isinstance(data["file"], str):
        raise Rejected("file must be the lock file's text")
    try:
        return file_items(repository, data["file"])
    except ValueError as exc:
        raise Rejected(str(exc)) from None


class Warming(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def post(self, request, name: str) -> Response:
        repository = _administered(request, name, "warm the cache of")
        try:
            require_proxy(repository, "can be warmed")
            warm = start_warm(repository, _items(repository, request.data), request=request)
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        except StateUnavailable:
            raise StateDown() from None
        body = warm_json(request, warm)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class WarmDetail(APIView):
    permission_classes = [AllowAny]

    def get(self, request, name: str, warm_id: str) -> Response:
        repository = _administered(request, name, "see the warms of")
        try:
            warm = load(warm_id)
        except StateUnavailable:
            raise StateDown() from None
        if warm is None or warm.repository_id != repository.pk:
            raise NotFound(f"no warm {warm_id} of {name} (records are kept a day)")
        return Response(warm_json(request, warm))


class Invalidation(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def post(self, request, name: str) -> Response:
        repository = _administered(request, name, "invalidate the cache of")
        package = request.data.get("package") if isinstance(request.data, dict) else None
        if package is not None and (not isinstance(package, str) or not package):
            raise Rejected("package must be a package's name")
        try:
            dropped = invalidate(repository, package, request=request)
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        except StateUnavailable:
            raise StateDown() from None
        return Response({"repository": repository.name, "package": dropped})
