"""`npm ping`, `whoami`, `login`/`adduser` (couch flow) and `logout`."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import accounts
from formats.npm.views.common import READS, read_object, signed_in_user
from repository.access.markers import public, tolerates_stale_credentials
from repository.access.tokens import resolve_token
from repository.refusals import Refusal, allow_methods


@public
@allow_methods(*READS)
def ping(request: HttpRequest) -> HttpResponse:
    return JsonResponse({})


@public
@allow_methods(*READS)
def whoami(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"username": signed_in_user(request).get_username()})


@public
def web_login(request: HttpRequest) -> HttpResponse:
    """Web login is not offered: npm takes any 4xx here as "use the username/password flow"."""
    raise Refusal(404, "web login is not supported; npm falls back to username and password")


@public
@tolerates_stale_credentials
@allow_methods("PUT")
def couch_user(request: HttpRequest, username: str) -> HttpResponse:
    """`PUT /-/user/org.couchdb.user:<name>` {name, password[, email]}: log in, get a token."""
    body = read_object(request)
    name, password = body.get("name", username), body.get("password")
    if name != username or not isinstance(password, str) or not password:
        raise Refusal(400, "the body must carry this user's name and a password")
    email = body.get("email") if isinstance(body.get("email"), str) else ""
    user, token = accounts.log_in(request, request.larder.repository, username, password, email)
    return JsonResponse(
        {
            "ok": True,
            "id": f"org.couchdb.user:{user.get_username()}",
            "token": token,
            "username": user.get_username(),
        },
        status=201,
    )


@public
@tolerates_stale_credentials
@allow_methods("DELETE")
def logout(request: HttpRequest, token: str) -> HttpResponse:
    """`npm logout`: DELETE /-/user/token/<token> revokes that token.

    Holding the token is the authority to revoke it, and a token that no longer works is
    already logged out: both answer 200 (as OAuth revocation does, RFC 7009), so `npm
    logout` can always clear a stale token from .npmrc.
    """
    found = resolve_token(token)
    if found is not None:
        accounts.drop_token(request, request.larder.repository, found, "npm.logout")
    return JsonResponse({"ok": True})
