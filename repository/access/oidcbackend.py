"""Sign-in with an OpenID Connect provider (mozilla-django-oidc), configured from
LARDER_OIDC_*: the code flow with PKCE, users found by the provider's stable `sub` and made
at their first sign-in, the groups claim mirrored into Larder groups at every sign-in."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from repository.models import ExternalIdentity


def _claimed_groups(claims: dict) -> list[str]:
    value = claims.get(settings.LARDER_OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    return sorted({str(name) for name in value if str(name).strip()})


def _free_username(wanted: str) -> str:
    User = get_user_model()
    name, n = wanted[:140] or "user", 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{wanted[:140]}-{n}"
    return name


class ProviderBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            external_identity__source=ExternalIdentity.Source.OIDC,
            external_identity__subject=claims["sub"],
        )

    @transaction.atomic
    def create_user(self, claims):
        wanted = claims.get(settings.LARDER_OIDC_USERNAME_CLAIM) or claims["sub"]
        user = self.UserModel.objects.create_user(
            _free_username(str(wanted)), email=claims.get("email", "")
        )
        ExternalIdentity.objects.create(
            user=user, source=ExternalIdentity.Source.OIDC, subject=claims["sub"]
        )
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        names = _claimed_groups(claims)
        groups = [Group.objects.get_or_create(name=name)[0] for name in names]
        user.groups.set(groups)
        superusers = settings.LARDER_OIDC_SUPERUSER_GROUP
        if superusers:
            user.is_superuser = user.is_staff = superusers in names
        user.email = claims.get("email", user.email)
        user.save(update_fields=["is_superuser", "is_staff", "email"])
        return user


def provider_logout_url(request) -> str:
    """Where logout sends the browser: the provider's end-session endpoint (RP-initiated
    logout, with the ID token as hint) when it has one, else Larder's own page."""
    back = request.build_absolute_uri(settings.LOGOUT_REDIRECT_URL)
    endpoint = settings.LARDER_OIDC_END_SESSION_ENDPOINT
    id_token = request.session.get("oidc_id_token")
    if not endpoint or not id_token:
        return back
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": back}
    query["client_id"] = settings.OIDC_RP_CLIENT_ID
    return f"{endpoint}?{urlencode(query)}"
