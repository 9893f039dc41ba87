"""/repository/<name>/<path>: load the repository, check access, hand over to its format."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

from repository.access.markers import PUBLIC, accepts_stale_credentials, required_role
from repository.access.permissions import has_role
from repository.access.ratelimit import LockedOut
from repository.formats import Format, get_format
from repository.hotcache import find_repository
from repository.models import Repository, Role

CHALLENGE = 'Basic realm="Larder"'


def unauthorized(fmt: Format, request: HttpRequest, message: str) -> HttpResponse:
    response = fmt.error_response(request, 401, message)
    response["WWW-Authenticate"] = CHALLENGE
    return response


def too_many_attempts(fmt: Format, request: HttpRequest, retry_after: int) -> HttpResponse:
    """Locked out after failed sign-ins: the same answer whatever the credentials were."""
    response = fmt.error_response(
        request, 429, f"too many failed sign-ins; try again in {retry_after} seconds"
    )
    response["Retry-After"] = str(retry_after)
    return response


def check_access(fmt: Format, request: HttpRequest, repository: Repository, role: Role | None):
    """None when allowed; otherwise the protocol's 401 (who are you?), 404 (a repository the
    caller may not read does not exist for them) or 403 (seen, but not yours to change)."""
    if role is PUBLIC or has_role(request, repository, role):
        return None
    if not request.user.is_authenticated:
        return unauthorized(fmt, request, "authentication required")
    if not has_role(request, repository, Role.READER):
        # A repository one may not read answers as if it did not exist.
        return fmt.error_response(request, 404, "not found")
    if role == Role.DEPLOYER:
        return fmt.error_response(
            request, 403, f"you may not write to repository {repository.name}"
        )
    return fmt.error_response(
        request, 403, f"this needs the {role} role on repository {repository.name}"
    )


@csrf_exempt
def repository_dispatch(request: HttpRequest, name: str, path: str = "") -> HttpResponse:
    repository = find_repository(request, name)
    if repository is None:
        raise Http404(f"no repository named {name}")
    fmt = get_format(repository.format)
    request.larder_repository = repository
    request.larder_format = fmt
    try:
        match = resolve("/" + path, urlconf=fmt.urlconf)
    except Resolver404:
        match = None
    if request.credentials_retry_after is not None:
        return too_many_attempts(fmt, request, request.credentials_retry_after)
    if request.credentials_invalid and not (match and accepts_stale_credentials(match.func)):
        return unauthorized(fmt, request, "invalid credentials")
    if match is None:
        denied = check_access(fmt, request, repository, Role.READER)
        return denied or fmt.error_response(request, 404, "not found")
    denied = check_access(fmt, request, repository, required_role(match.func, request))
    if denied is not None:
        return denied
    try:
        return match.func(request, *match.args, **match.kwargs)
    except LockedOut as exc:  # a view that checks a password itself (npm login)
        return too_many_attempts(fmt, request, exc.retry_after)
