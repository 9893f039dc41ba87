"""Sign-ins in the audit trail: every session sign-in (UI login, OIDC) and every failed
password (UI login and HTTP Basic), with the client's address. Successful Basic requests
are not recorded one by one (pip sends credentials with every request)."""

from django.contrib.auth.signals import user_logged_in, user_login_failed

from repository.audit import record


def _signed_in(sender, request, user, **kwargs) -> None:
    backend = request.session.get("_auth_user_backend", "") if request is not None else ""
    record(request, "auth.login", actor=user, target=user.get_username(), backend=backend)


def _failed(sender, credentials, request=None, **kwargs) -> None:
    via = "ui" if request is not None and request.path.startswith("/login") else "basic"
    record(
        request,
        "auth.login",
        target=str(credentials.get("username", ""))[:150],
        failed=True,
        via=via,
    )


def connect_signals() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="larder-audit-login")
    user_login_failed.connect(_failed, dispatch_uid="larder-audit-login-failed")
