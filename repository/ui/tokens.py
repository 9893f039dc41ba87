"""Tokens in the UI: make one (shown once, with client setup lines), list, revoke.

Superusers see and revoke everyone's tokens. The plain token is in the answer to the POST
that made it and nowhere else: Larder keeps only its hash.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from repository.access.permissions import readable_repositories
from repository.formats import get_format
from repository.models import ApiToken, Repository
from repository.services.tokens import issue_api_token, revoke_api_token
from repository.ui.forms import TokenForm
from repository.ui.guards import is_superuser, signed_in
from repository.ui.partials import optional_template
from repository.urlbase import repository_url


def _tokens(request: HttpRequest, everyone: bool):
    tokens = ApiToken.objects.filter(revoked__isnull=True).select_related("user")
    tokens = tokens.prefetch_related("repositories").order_by("-created", "-pk")
    return tokens if everyone else tokens.filter(user=request.user)


@signed_in
@require_http_methods(["GET", "HEAD"])
def token_list(request: HttpRequest) -> HttpResponse:
    everyone = is_superuser(request) and request.GET.get("all") == "1"
    names = list(readable_repositories(request).order_by("name").values_list("name", flat=True))
    return render(
        request,
        "ui/tokens.html",
        {
            "tokens": _tokens(request, everyone),
            "everyone": everyone,
            "can_see_all": is_superuser(request),
            "form": TokenForm(repository_names=names),
        },
    )


def setup_context(request: HttpRequest, repository: Repository, plain: str) -> dict:
    """What the setup partials need: the repository's URL, with and without the token."""
    url = repository_url(request, repository)
    scheme, _, rest = url.partition("://")
    fmt = get_format(repository.format)
    return {
        "repository": repository,
        "repository_url": url,
        "token": plain,
        "token_url": f"{scheme}://__token__:{plain}@{rest}",
        "usage_partial": optional_template(fmt.token_usage_template),
    }


@signed_in
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    readable = readable_repositories(request).order_by("name")
    form = TokenForm(request.POST, repository_names=[r.name for r in readable])
    if not form.is_valid():
        return render(
            request,
            "ui/tokens.html",
            {"tokens": _tokens(request, False), "form": form, "can_see_all": is_superuser(request)},
            status=400,
        )
    data = form.cleaned_data
    limited = list(readable.filter(name__in=data["repositories"]))
    token, plain = issue_api_token(
        request.user,
        name=data["name"],
        expires_in_days=data["expires_in_days"],
        readonly=data["readonly"],
        repositories=limited,
        request=request,
    )
    setup = readable.filter(name=data["setup_repository"]).first()
    context = {"token": token, "plain": plain}
    if setup is not None:
        context["setup"] = setup_context(request, setup, plain)
    response = render(request, "ui/token_created.html", context, status=201)
    response["Cache-Control"] = "no-store"
    return response


@signed_in
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(_tokens(request, is_superuser(request)), pk=pk)
    revoke_api_token(token, request=request)
    back = reverse("ui:tokens")
    return redirect(back + "?all=1" if token.user_id != request.user.pk else back)
