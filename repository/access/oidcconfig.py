"""mozilla-django-oidc's settings, built from LARDER_OIDC_* (docs/authentication.md)."""

from django.core.exceptions import ImproperlyConfigured

from repository.env import env_bool, env_int, env_str

REQUIRED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "LARDER_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "LARDER_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "LARDER_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "LARDER_OIDC_JWKS_ENDPOINT",
}


def configure() -> dict:
    values = {setting: env_str(variable) for setting, variable in REQUIRED.items()}
    missing = [REQUIRED[setting] for setting, value in values.items() if not value]
    if missing:
        raise ImproperlyConfigured(f"LARDER_OIDC_CLIENT_ID is set; set {', '.join(missing)} too")
    return {
        **values,
        "OIDC_RP_CLIENT_SECRET": env_str("LARDER_OIDC_CLIENT_SECRET"),
        "OIDC_RP_SIGN_ALGO": env_str("LARDER_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": env_str("LARDER_OIDC_SCOPES", "openid email profile groups"),
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_STORE_ID_TOKEN": True,
        "OIDC_VERIFY_SSL": env_bool("LARDER_OIDC_VERIFY_TLS", True),
        "OIDC_TIMEOUT": env_int("LARDER_OIDC_TIMEOUT_SECONDS", 10),
        "OIDC_OP_LOGOUT_URL_METHOD": "repository.access.oidcbackend.provider_logout_url",
        "LOGIN_REDIRECT_URL_FAILURE": "/login/?failed=oidc",
    }
