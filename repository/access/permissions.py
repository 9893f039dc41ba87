"""Who may do what on a repository. Roles nest: admin > deployer > reader."""

from django.db.models import Q

from repository.models import ROLE_RANK, Repository, RepositoryRole, Role


def _granted_rank(user, repository: Repository | None) -> int:
    """The highest role the user holds on this repository (directly, by group, or globally)."""
    if not user or not user.is_authenticated:
        return 0
    if user.is_superuser:
        return ROLE_RANK[Role.ADMIN]
    subject = Q(user=user) | Q(group__in=user.groups.all())
    scope = Q(repository__isnull=True)
    if repository is not None:
        scope |= Q(repository=repository)
    roles = RepositoryRole.objects.filter(subject & scope).values_list("role", flat=True)
    return max((ROLE_RANK[Role(role)] for role in roles), default=0)


def has_role(request, repository: Repository, role: Role) -> bool:
    """Whether this request (its user, within its token's limits) holds `role` here."""
    if role == Role.READER and repository.anonymous_read:
        return True
    token = getattr(request, "larder_token", None)
    if token is not None:
        if token.readonly and ROLE_RANK[role] > ROLE_RANK[Role.READER]:
            return False
        limited = token.repositories.all()
        if limited and repository not in limited:
            return False
    return _granted_rank(request.user, repository) >= ROLE_RANK[role]


def readable_repositories(request):
    """Repositories this request may list and browse: what its user may read, within its
    token's limits (in the web UI as in the API)."""
    return _within_token_limits(request, _readable_by_user(request.user))


def _readable_by_user(user):
    queryset = Repository.objects.all()
    if user.is_authenticated and user.is_superuser:
        return queryset
    if not user.is_authenticated:
        return queryset.filter(anonymous_read=True)
    grants = RepositoryRole.objects.filter(Q(user=user) | Q(group__in=user.groups.all()))
    if grants.filter(repository__isnull=True).exists():
        return queryset
    return queryset.filter(Q(anonymous_read=True) | Q(roles__in=grants)).distinct()


def _token_allows_everywhere(request, role: Role) -> bool:
    """A read-only token never acts beyond reading; a token limited to some repositories
    never acts on all of them (creating or deleting repositories, say)."""
    token = getattr(request, "larder_token", None)
    if token is None:
        return True
    if token.readonly and ROLE_RANK[role] > ROLE_RANK[Role.READER]:
        return False
    return not token.repositories.exists()


def has_global_role(request, role: Role) -> bool:
    """Whether this request holds `role` on all repositories (superuser or a global grant)."""
    if not _token_allows_everywhere(request, role):
        return False
    return _granted_rank(request.user, None) >= ROLE_RANK[role]


def _within_token_limits(request, repositories):
    """`repositories` narrowed to what the request's token may reach (public ones stay, as
    has_role lets anyone read them)."""
    token = getattr(request, "larder_token", None)
    if token is None or not token.repositories.exists():
        return repositories
    return repositories.filter(Q(pk__in=token.repositories.all()) | Q(anonymous_read=True))


def may_delete(request, repository: Repository) -> bool:
    """Whether this request holds the delete right on the repository: today its admin role
    (issue 19's maintainer role is to join it)."""
    return has_role(request, repository, Role.ADMIN)
