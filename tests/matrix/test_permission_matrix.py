"""Who gets what, everywhere: every caller against every read and write endpoint of every
format and of the API, on private repositories, each cell one exact answer.

Callers: anonymous, a wrong token, an expired token, a read-only token, a token limited to
another repository, reader, deployer, maintainer, admin of this repository, admin of another
repository, superuser. The tokens are the deployer's, so only the token's own limits refuse.

Answers: the endpoint's success status when the caller holds the role it needs; 401 with a
challenge for callers who are nobody (anonymous, bad or expired credentials); 404 where the
caller may not see the repository at all; 403 where it may see but lacks the role.
"""

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from repository.access.tokens import create_token
from repository.models import ApiToken, Asset, Repository, RepositoryRole, Role
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import make_tarball, publish_body
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import form_for

READ, UPLOAD, MAINTAIN, ADMIN, GLOBAL = 1, 2, 3, 4, 5
RANKS = {"reader": READ, "deployer": UPLOAD, "maintainer": MAINTAIN, "admin": ADMIN}


@dataclass(frozen=True)
class Caller:
    name: str
    # The rank it acts with on this repository (0: none); what it is when it is nobody.
    rank: int = 0
    nobody: bool = False
    sees: bool = True
    readonly: bool = False
    limited: bool = False
    superuser: bool = False


CALLERS = [
    Caller("anonymous", nobody=True),
    Caller("wrong token", nobody=True),
    Caller("expired token", nobody=True),
    Caller("read-only token", rank=UPLOAD, readonly=True),
    Caller("token limited to another repository", rank=UPLOAD, sees=False, limited=True),
    Caller("reader", rank=READ),
    Caller("deployer", rank=UPLOAD),
    Caller("maintainer", rank=MAINTAIN),
    Caller("admin of this repository", rank=ADMIN),
    Caller("admin of another repository", sees=False),
    Caller("superuser", rank=GLOBAL, superuser=True),
]


@dataclass(frozen=True)
class Endpoint:
    name: str
    need: int
    success: int
    method: str
    url: str
    body: object = None  # dict (JSON), "form" (the PyPI upload), bytes, or a callable
    repository_scoped: bool = True


def _npm_version(version: str) -> dict:
    return publish_body("widget", version, make_tarball({"name": "widget", "version": version}))


ENDPOINTS = [
    # PyPI
    Endpoint("pypi project list", READ, 200, "GET", "/repository/py/simple/"),
    Endpoint("pypi project page", READ, 200, "GET", "/repository/py/simple/matrix-pkg/"),
    Endpoint("pypi JSON API", READ, 200, "GET", "/repository/py/pypi/matrix-pkg/json"),
    Endpoint("pypi file", READ, 200, "GET", "FILE:py"),
    Endpoint("pypi upload", UPLOAD, 200, "POST", "/repository/py/legacy/", "form"),
    # npm
    Endpoint("npm packument", READ, 200, "GET", "/repository/js/widget"),
    Endpoint("npm tarball", READ, 200, "GET", "/repository/js/widget/-/widget-1.0.0.tgz"),
    Endpoint("npm dist-tags", READ, 200, "GET", "/repository/js/-/package/widget/dist-tags"),
    Endpoint("npm version document", READ, 200, "GET", "/repository/js/widget/1.0.0"),
    Endpoint("npm search", READ, 200, "GET", "/repository/js/-/v1/search?text=widget"),
    Endpoint("npm publish", UPLOAD, 201, "PUT", "/repository/js/widget", _npm_version("1.1.0")),
    Endpoint(
        "npm move another's dist-tag",
        MAINTAIN,
        201,
        "PUT",
        "/repository/js/-/package/widget/dist-tags/stable",
        "1.0.0",
    ),
    Endpoint("npm deprecate", MAINTAIN, 200, "PUT", "/repository/js/widget", "DEPRECATE"),
    Endpoint("npm unpublish", MAINTAIN, 200, "DELETE", "/repository/js/widget/-rev/REV"),
    # generic
    Endpoint("generic file", READ, 200, "GET", "/repository/files/a/b.bin"),
    Endpoint("generic listing", READ, 200, "GET", "/repository/files/a/"),
    Endpoint("generic file head", READ, 200, "HEAD", "/repository/files/a/b.bin"),
    Endpoint("generic upload", UPLOAD, 201, "PUT", "/repository/files/a/new.bin", b"new"),
    Endpoint("generic form upload", UPLOAD, 201, "POST", "/repository/files/a/", "FILE-FORM"),
    Endpoint("generic delete", MAINTAIN, 204, "DELETE", "/repository/files/a/b.bin"),
    # the API
    Endpoint("api repository", READ, 200, "GET", "/api/v1/repositories/files/"),
    Endpoint("api packages", READ, 200, "GET", "/api/v1/repositories/py/packages/"),
    Endpoint(
        "api yank",
        MAINTAIN,
        200,
        "PATCH",
        "/api/v1/repositories/py/packages/matrix-pkg/versions/1.0/",
        {"yanked": True, "yanked_reason": "broken"},
    ),
    Endpoint("api package", READ, 200, "GET", "/api/v1/repositories/py/packages/matrix-pkg/"),
    Endpoint(
        "api versions", READ, 200, "GET", "/api/v1/repositories/py/packages/matrix-pkg/versions/"
    ),
    Endpoint("api assets", READ, 200, "GET", "/api/v1/repositories/files/assets/"),
    Endpoint("api asset", READ, 200, "GET", "/api/v1/repositories/files/assets/a/b.bin"),
    Endpoint("api roles", ADMIN, 200, "GET", "/api/v1/repositories/files/roles/"),
    Endpoint(
        "api grant",
        ADMIN,
        201,
        "POST",
        "/api/v1/repositories/files/roles/",
        {"user": "reader", "role": "maintainer"},
    ),
    Endpoint(
        "api change repository",
        ADMIN,
        200,
        "PATCH",
        "/api/v1/repositories/files/",
        {"description": "changed"},
    ),
    Endpoint("api delete repository", GLOBAL, 204, "DELETE", "/api/v1/repositories/files/"),
    Endpoint(
        "api create repository",
        GLOBAL,
        201,
        "POST",
        "/api/v1/repositories/",
        {"name": "made", "format": "generic"},
        repository_scoped=False,
    ),
]


def expected(caller: Caller, endpoint: Endpoint) -> int:
    if caller.nobody:
        return 401
    if endpoint.repository_scoped and not caller.sees:
        return 404
    if caller.readonly and endpoint.need > READ:
        return 403
    if endpoint.need == GLOBAL:
        return endpoint.success if caller.superuser else 403
    return endpoint.success if caller.rank >= endpoint.need else 403


@pytest.fixture
def world(client, make_user):
    """Three private repositories with content, the shared users and their grants."""
    make_user("root", superuser=True)
    users = {name: make_user(name) for name in ["reader", "deployer", "maintainer", "owner"]}
    other_owner = make_user("other-owner")
    repositories = {
        name: Repository.objects.create(name=name, format=fmt, anonymous_read=False)
        for name, fmt in [("py", "pypi"), ("js", "npm"), ("files", "generic")]
    }
    other = Repository.objects.create(name="other", format="generic", anonymous_read=False)
    for repository in repositories.values():
        for name, role in [
            ("reader", Role.READER),
            ("deployer", Role.DEPLOYER),
            ("maintainer", Role.MAINTAINER),
            ("owner", Role.ADMIN),
        ]:
            RepositoryRole.objects.create(user=users[name], repository=repository, role=role)
    RepositoryRole.objects.create(user=other_owner, repository=other, role=Role.ADMIN)

    root = {"HTTP_AUTHORIZATION": basic_auth("root", PASSWORD)}
    wheel = make_wheel("matrix-pkg", "1.0")
    assert client.post("/repository/py/legacy/", form_for(wheel), **root).status_code == 200
    published = client.put(
        "/repository/js/widget",
        json.dumps(_npm_version("1.0.0")),
        content_type="application/json",
        **root,
    )
    assert published.status_code == 201
    assert client.put("/repository/files/a/b.bin", b"x", **root).status_code == 201

    deployer = users["deployer"]
    _, readonly = create_token(deployer, readonly=True)
    _, limited = create_token(deployer, repositories=[other])
    expired_row, expired = create_token(deployer)
    ApiToken.objects.filter(pk=expired_row.pk).update(expires=timezone.now() - timedelta(minutes=1))
    return {
        "anonymous": None,
        "wrong token": "Bearer larder_thisIsNotAnyTokenThatLarderMadeEver0123",
        "expired token": f"Bearer {expired}",
        "read-only token": basic_auth("__token__", readonly),
        "token limited to another repository": f"Bearer {limited}",
        "reader": basic_auth("reader", PASSWORD),
        "deployer": basic_auth("deployer", PASSWORD),
        "maintainer": basic_auth("maintainer", PASSWORD),
        "admin of this repository": basic_auth("owner", PASSWORD),
        "admin of another repository": basic_auth("other-owner", PASSWORD),
        "superuser": basic_auth("root", PASSWORD),
    }


def _request(client, endpoint: Endpoint, auth: str | None):
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    url, body = endpoint.url, endpoint.body
    if url == "FILE:py":
        url = "/repository/py/" + Asset.objects.get(repository__name="py").path
    if "REV" in url or body == "DEPRECATE":
        root = basic_auth("root", PASSWORD)
        document = client.get("/repository/js/widget?write=true", HTTP_AUTHORIZATION=root).json()
        url = url.replace("REV", document["_rev"])
        if body == "DEPRECATE":
            document["versions"]["1.0.0"]["deprecated"] = "use 1.1"
            body = document
    if body == "FILE-FORM":
        upload = SimpleUploadedFile("form.bin", b"form")
        return client.post(url, {"file": upload}, **headers)
    if body == "form":
        return client.post(url, form_for(make_wheel("matrix-pkg", "2.0")), **headers)
    if isinstance(body, bytes):
        return client.generic(endpoint.method, url, body, **headers)
    if body is not None:
        data = json.dumps(body)
        return client.generic(
            endpoint.method, url, data, content_type="application/json", **headers
        )
    return client.generic(endpoint.method, url, **headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
@pytest.mark.parametrize("caller", CALLERS, ids=lambda caller: caller.name)
def test_each_caller_gets_exactly_its_answer(client, world, caller, endpoint):
    response = _request(client, endpoint, world[caller.name])
    want = expected(caller, endpoint)
    assert response.status_code == want, response.content[:300]
    if want == 401:
        assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
