"""What an admin does to a proxy by hand, from the command line or the API: warm its cache
from a lock file (a Celery task walks it, warm.py), and drop its upstream metadata so the
next request asks the upstream again.

Both refuse, with a ValueError in words, a repository that is not a proxy; both need the
shared state (StateUnavailable when it cannot be reached); both record an audit event.
"""

from django.db import transaction

from repository import audit
from repository.cache.stamps import repository_content_changed
from repository.formats import get_format
from repository.models import Repository
from repository.proxy import freshness
from repository.proxy.refresh import settings_of
from repository.proxy.warm import Item, Warm, record


def require_proxy(repository: Repository, doing: str) -> None:
    if repository.kind != Repository.Kind.PROXY:
        raise ValueError(
            f"{repository.name} is a {repository.kind} repository: only proxies {doing}"
        )


def file_items(repository: Repository, text: str) -> list[Item]:
    """The items the format reads in a lock or requirements file (ValueError: unreadable)."""
    require_proxy(repository, "can be warmed")
    return get_format(repository.format).warm_items(text)


def _cleaned(repository: Repository, items: list[Item]) -> list[Item]:
    """Names and versions in their stored forms, each item once, in the file's order."""
    fmt = get_format(repository.format)
    cleaned = (
        (fmt.normalize_name(name), fmt.normalize_version(version) if version else None)
        for name, version in items
    )
    return list(dict.fromkeys(cleaned))


def start_warm(repository: Repository, items: list[Item], *, request=None) -> Warm:
    """Queue the walk of `items` (after the caller's transaction commits); its record."""
    from repository.tasks import warm_proxy_cache  # tasks import the sources

    require_proxy(repository, "can be warmed")
    if settings_of(repository).offline:
        raise ValueError(f"{repository.name} is offline: its upstream is never asked")
    items = _cleaned(repository, items)
    if not items:
        raise ValueError("nothing to warm: no package or file is named")
    warm = record(repository, items)
    audit.record(request, "proxy.warm", repository=repository, target=warm.id, items=len(items))
    transaction.on_commit(lambda: warm_proxy_cache.delay(warm.id))
    return warm


def invalidate(repository: Repository, name: str | None = None, *, request=None) -> str | None:
    """Forget what the upstream said about `name` (or every package, with None), its 404
    too: the next request for it asks the upstream. The stored name, or None."""
    require_proxy(repository, "keep upstream metadata")
    name = get_format(repository.format).normalize_name(name) if name else None
    freshness.forget(repository, name)
    # Answers kept in front of Django were valid until the old metadata's expiry.
    repository_content_changed(repository.pk)
    audit.record(request, "proxy.invalidate", repository=repository, target=name or "")
    return name
