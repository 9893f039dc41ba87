"""may_delete(): the delete right (retention's rules and every delete path ask it) belongs to
a repository's maintainers and admins, within their token's limits."""

from django.test import RequestFactory

from repository.access.credentials import Caller
from repository.access.permissions import may_delete, may_maintain
from repository.access.tokens import resolve_token
from repository.models import RepositoryRole, Role


def _request(user, token=None):
    request = RequestFactory().delete("/")
    request.user = user
    request.caller = Caller(user=user, token=resolve_token(token) if token else None)
    return request


def test_maintainers_and_admins_may_delete(
    private_repo, reader, deployer, maintainer, admin, make_user
):
    owner = make_user("owner")
    RepositoryRole.objects.create(user=owner, repository=private_repo, role=Role.ADMIN)
    RepositoryRole.objects.create(user=maintainer, repository=private_repo, role=Role.MAINTAINER)
    assert [may_delete(_request(u), private_repo) for u in (reader, deployer)] == [False, False]
    assert [may_delete(_request(u), private_repo) for u in (maintainer, owner, admin)] == [
        True,
        True,
        True,
    ]
    assert may_maintain(_request(maintainer), private_repo)


def test_a_token_keeps_its_limits(private_repo, other_private_repo, maintainer, make_token):
    RepositoryRole.objects.create(user=maintainer, repository=private_repo, role=Role.MAINTAINER)
    readonly = make_token(maintainer, readonly=True)
    elsewhere = make_token(maintainer, repositories=[other_private_repo])
    assert not may_delete(_request(maintainer, readonly), private_repo)
    assert not may_delete(_request(maintainer, elsewhere), private_repo)
    assert may_delete(_request(maintainer, make_token(maintainer)), private_repo)
