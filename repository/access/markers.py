"""Access markers on format views; the dispatcher enforces them before the view runs.

A view without a marker is treated as a read: forgetting one can never open a write.
A view that does several things under one method (npm's PUT publishes or deprecates)
asks the core's permission functions for the finer right (repository/access/permissions.py).
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


def tolerates_stale_credentials(view: Callable) -> Callable:
    """For the views that replace credentials (log in, log out): a client holding a revoked
    or expired token still sends it there, and must reach the view, as anonymous, instead
    of being locked out by a 401 for the very token it is replacing."""
    view.larder_tolerates_stale_credentials = True
    return view


def accepts_stale_credentials(view: Callable) -> bool:
    return getattr(view, "larder_tolerates_stale_credentials", False)


def required_role(view: Callable, request) -> Role | None:
    rule = getattr(view, "larder_access", None)
    return Role.READER if rule is None else rule(request)
