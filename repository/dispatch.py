"""/repository/<name>/<path>: load the repository, check access, hand over to its format.

Dispatch is the one place that sets the request context (request.larder, below: format
code reads the repository, its format, its content source and the caller from it, and
nothing else off the request), decides whether the caller may read or write, sends writes
to where they may land, and renders every Refusal a format raises in that format's own
shape.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt

from repository.access.credentials import Caller, caller_of
from repository.access.markers import PUBLIC, accepts_stale_credentials, required_role
from repository.access.permissions import has_role
from repository.access.ratelimit import LockedOut
from repository.cache.rows import Reads, find_repository
from repository.formats import Format, get_format
from repository.models import Repository, Role
from repository.observability.metrics import REFUSALS
from repository.refusals import Refusal
from repository.sources import ContentSource, source_for
from repository.unknown_repository import unknown_repository


@dataclass
class RepositoryContext:
    repository: Repository  # the one named in the URL
    format: Format
    source: ContentSource
    caller: Caller
    reads: Reads  # what the row cache relied on, for answers kept without Django
    # Where this request's writes land (the repository itself when hosted); None for reads.
    target: Repository | None = None

    @property
    def write_target(self) -> Repository:
        if self.target is None:
            raise RuntimeError("a write view ran without a write target: mark it @writes")
        return self.target


def _check_access(request: HttpRequest, repository: Repository, role: Role | None) -> None:
    """Nothing when allowed; otherwise the protocol's 401 (who are you?), 404 (a repository
    the caller may not read does not exist for them) or 403 (seen, but not yours to change)."""
    if role is PUBLIC or has_role(request, repository, role):
        return
    if not request.user.is_authenticated:
        raise Refusal(401, "authentication required")
    if not has_role(request, repository, Role.READER):
        raise Refusal(404, "not found")
    if role == Role.DEPLOYER:
        raise Refusal(403, f"you may not write to repository {repository.name}")
    raise Refusal(403, f"this needs the {role} role on repository {repository.name}")


def _refusal_response(request: HttpRequest, fmt: Format, refusal: Refusal) -> HttpResponse:
    REFUSALS.labels(format=fmt.name, reason=refusal.label).inc()
    response = fmt.error_response(request, refusal.status, refusal.message)
    for name, value in refusal.response_headers().items():
        response[name] = value
    return response


def _answer(request: HttpRequest, context: RepositoryContext, path: str) -> HttpResponse:
    try:
        match = resolve("/" + path, urlconf=context.format.urlconf)
    except Resolver404:
        match = None
    if context.caller.retry_after is not None:
        raise LockedOut(context.caller.retry_after)
    if context.caller.credentials_invalid and not (match and accepts_stale_credentials(match.func)):
        raise Refusal(401, "invalid credentials")
    if match is None:
        _check_access(request, context.repository, Role.READER)
        raise Refusal(404, "not found")
    role = required_role(match.func, request)
    if role is PUBLIC or role == Role.READER:
        _check_access(request, context.repository, role)
    else:
        # Writes are for callers who can see the repository, and land in its write target,
        # whose rows they then act on and whose grants they need.
        _check_access(request, context.repository, Role.READER)
        context.target = context.source.write_target()
        if context.target != context.repository:
            context.source = source_for(context.target, context.reads, client=True)
        _check_access(request, context.target, role)
    return match.func(request, *match.args, **match.kwargs)


@csrf_exempt
def repository_dispatch(request: HttpRequest, name: str, path: str = "") -> HttpResponse:
    reads = Reads.for_method(request.method)
    repository = find_repository(reads, name)
    if repository is None:
        return unknown_repository(request, name, path)
    fmt = get_format(repository.format)
    context = RepositoryContext(
        repository=repository,
        format=fmt,
        source=source_for(
            repository,
            reads,
            readable=lambda member: has_role(request, member, Role.READER),
            client=True,
        ),
        caller=caller_of(request),
        reads=reads,
    )
    request.larder = context
    try:
        return _answer(request, context, path)
    except Refusal as refusal:
        return _refusal_response(request, fmt, refusal)
