"""Who may call what in the API, answered the same way everywhere.

A repository the caller may not read is indistinguishable from one that does not exist:
anonymous callers get 401 (with a challenge, so clients retry with credentials) and
signed-in callers get 404. Callers who can read a repository but lack the role for a change
get 403, since telling them changes nothing they could not already see.
"""

from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from repository.access.credentials import caller_of
from repository.access.deletion import deletion_refusal
from repository.access.permissions import has_global_role, has_role
from repository.models import Repository, Role


def readable_repository(request, name: str) -> Repository:
    """The repository named `name` if this request may read it; 401/404 otherwise."""
    repository = Repository.objects.filter(name=name).first()
    if repository is not None and has_role(request, repository, Role.READER):
        return repository
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    raise NotFound(f"no repository named {name}")


def _refusal(request, what: str, repository: Repository | None = None) -> str:
    """Why, in words: the token's own limits when they are the reason, else the role."""
    token = caller_of(request).token
    if token is not None and token.readonly:
        return f"this token is read-only: it may not {what}"
    limits = token.repositories.all() if token is not None else Repository.objects.none()
    if limits.exists() and repository is None:
        return f"this token is limited to some repositories: it may not {what}"
    if limits.exists() and not limits.filter(pk=repository.pk).exists():
        return f"this token is limited to other repositories: it may not {what}"
    return f"you may not {what}"


def require_role(request, repository: Repository, role: Role, what: str) -> None:
    """401 for anonymous callers; 403 unless the request holds `role` on the repository
    (within its token's limits)."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if not has_role(request, repository, role):
        raise PermissionDenied(_refusal(request, f"{what} (needs the {role} role)", repository))


def require_delete_right(request, repository: Repository) -> None:
    """The repository's delete policy, as every client hears it (403 with its reason)."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if reason := deletion_refusal(request, repository):
        raise PermissionDenied(reason)


def require_global_admin(request, what: str) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if not has_global_role(request, Role.ADMIN):
        raise PermissionDenied(
            _refusal(request, f"{what} (needs the admin role on all repositories)")
        )


def require_signed_in_with_password(request, what: str) -> None:
    """For minting credentials: a token may not make tokens, or a leaked token could outlive
    its own expiry and shed its limits."""
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    if caller_of(request).token is not None:
        raise PermissionDenied(f"sign in with your password, not a token, to {what}")


class ReadOnlyOrSignedIn(BasePermission):
    """Reads are open (each view narrows them to what the caller may see); writes need a
    signed-in caller, anonymous ones get 401."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or request.user.is_authenticated
