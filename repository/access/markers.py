"""Access markers on format views; the dispatcher enforces them before the view runs.

A view without a marker is treated as a read: forgetting one can never open a write.
"""

from collections.abc import Callable

from repository.models import Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

PUBLIC = None


def _mark(rule: Callable) -> Callable:
    def decorator(view: Callable) -> Callable:
        view.larder_access = rule
        return view

    return decorator


public = _mark(lambda request: PUBLIC)
reads = _mark(lambda request: Role.READER)
writes = _mark(lambda request: Role.DEPLOYER)
reads_and_writes = _mark(
    lambda request: Role.READER if request.method in SAFE_METHODS else Role.DEPLOYER
)


def required_role(view: Callable, request) -> Role | None:
    rule = getattr(view, "larder_access", None)
    return Role.READER if rule is None else rule(request)
