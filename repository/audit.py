"""Writing the audit trail; every mutating action calls record()."""

from repository.models import AuditEvent


def client_address(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(request, action: str, *, repository=None, target: str = "", **details) -> AuditEvent:
    user = getattr(request, "user", None) if request is not None else None
    return AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        repository_name=getattr(repository, "name", repository or ""),
        target=target[:512],
        details=details,
        remote_addr=client_address(request),
    )
