"""Writing the audit trail; every mutating action, and every sign-in, calls record()."""

from repository.models import AuditEvent


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request,
    action: str,
    *,
    repository=None,
    target: str = "",
    actor=None,
    failed: bool = False,
    **details,
) -> AuditEvent:
    """`actor` names who acted when there is no request (a command line run by a user), or
    who signed in (the request is still anonymous then). `failed`: an attempt that was
    refused (a wrong password), recorded with the failure outcome."""
    user = actor if actor is not None else getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        outcome=AuditEvent.Outcome.FAILURE if failed else AuditEvent.Outcome.SUCCESS,
        repository_name=getattr(repository, "name", repository or ""),
        target=target[:512],
        details=details,
        remote_addr=client_address(request),
    )
