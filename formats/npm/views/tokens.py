"""`npm token list/create/revoke` over Larder's API tokens: /-/npm/v1/tokens."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import accounts
from formats.npm.views.common import read_object, signed_in_user
from repository.access.markers import public
from repository.access.tokens import active_tokens, find_user_token
from repository.refusals import Refusal, allow_methods

# npm's granular-token restrictions Larder cannot honour: refusing beats a broader token.
_UNSUPPORTED_LIMITS = ("packages", "scopes", "orgs", "orgs_permission")


def _create(request: HttpRequest) -> HttpResponse:
    body = read_object(request)
    password = body.get("password")
    if not isinstance(password, str) or not password:
        raise Refusal(400, "a password is required to create a token")
    if body.get("cidr_whitelist"):
        raise Refusal(400, "CIDR-restricted tokens are not supported")
    if any(body.get(limit) for limit in _UNSUPPORTED_LIMITS):
        raise Refusal(400, "tokens limited to packages, scopes or orgs are not supported")
    permission = body.get("packages_and_scopes_permission")
    if permission not in (None, "read-only", "read-write"):
        raise Refusal(400, f"unsupported packages_and_scopes_permission {permission!r}")
    expires = body.get("expires")
    if expires is not None and (not isinstance(expires, int) or expires < 1):
        raise Refusal(400, "expires must be a positive number of days")
    name = body.get("name") if isinstance(body.get("name"), str) else ""
    token, plain = accounts.make_token(
        request,
        request.larder.repository,
        password,
        name=name[:128],
        readonly=bool(body.get("readonly")) or permission == "read-only",
        expires_in_days=expires,
    )
    return JsonResponse({**accounts.token_json(token), "token": plain}, status=201)


@public
@allow_methods("GET", "POST")
def tokens(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if request.method == "POST":
        return _create(request)
    objects = [accounts.token_json(t) for t in active_tokens(user)]
    return JsonResponse({"objects": objects, "total": len(objects), "urls": {}})


@public
@allow_methods("DELETE")
def token(request: HttpRequest, key: str) -> HttpResponse:
    found = find_user_token(signed_in_user(request), key)
    if found is None:
        raise Refusal(404, "no such token")
    accounts.drop_token(request, request.larder.repository, found, "token.revoke")
    return HttpResponse(status=204)
