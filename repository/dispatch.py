"""/repository/<name>/<path>: load the repository, check access, hand over to its format."""

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

from repository.access.markers import PUBLIC, accepts_stale_credentials, required_role
from repository.access.permissions import has_role
from repository.formats import Format, get_format
from repository.hotcache import find_repository
from repository.models import Repository, Role
from repository.unknown_repository import unknown_repository

CHALLENGE = 'Basic realm="Larder"'


def unauthorized(fmt: Format, request: HttpRequest, message: str) -> HttpResponse:
    response = fmt.error_response(request, 401, message)
    response["WWW-Authenticate"] = CHALLENGE
    return response


def check_access(fmt: Format, request: HttpRequest, repository: Repository, role: Role | None):
    """None when allowed; otherwise the protocol's 401 (who are you?) or 403 (not you)."""
    if role is PUBLIC or has_role(request, repository, role):
        return None
    if not request.user.is_authenticated:
        return unauthorized(fmt, request, "authentication required")
    verb = "read" if role == Role.READER else "write to"
    return fmt.error_response(request, 403, f"you may not {verb} repository {repository.name}")


@csrf_exempt
def repository_dispatch(request: HttpRequest, name: str, path: str = "") -> HttpResponse:
    repository = find_repository(request, name)
    if repository is None:
        return unknown_repository(request, name, path)
    fmt = get_format(repository.format)
    request.larder_repository = repository
    request.larder_format = fmt
    try:
        match = resolve("/" + path, urlconf=fmt.urlconf)
    except Resolver404:
        match = None
    if request.credentials_invalid and not (match and accepts_stale_credentials(match.func)):
        return unauthorized(fmt, request, "invalid credentials")
    if match is None:
        denied = check_access(fmt, request, repository, Role.READER)
        return denied or fmt.error_response(request, 404, "not found")
    denied = check_access(fmt, request, repository, required_role(match.func, request))
    if denied is not None:
        return denied
    return match.func(request, *match.args, **match.kwargs)
