"""Writing the audit trail; every mutating action calls record()."""

from repository.models import AuditEvent


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request, action: str, *, repository=None, target: str = "", actor=None, **details
) -> AuditEvent:
    """`actor` names who acted when there is no request (a command line run by a user)."""
    user = getattr(request, "user", None) if request is not None else actor
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        repository_name=getattr(repository, "name", repository or ""),
        target=target[:512],
        details=details,
        remote_addr=client_address(request),
    )
