"""How fresh a proxy's copy of each upstream document or file is, shared by every process.

Marks in the shared state (Redis, or the data dir embedded), each living as long as it
holds: "fetched at T" for the metadata TTL (a file's: its content TTL), "the upstream has
no such package or file" for the negative TTL, and "fetched since the last invalidation"
for a week. A copy past its TTL is stale (served while it is refreshed); a copy not
fetched since an invalidation is rechecked before it is served. Files are marked under
file_name(path), apart from package names. Dropping a repository's marks is one increment
of its epoch, which every key carries.
"""

import time
from contextlib import suppress

from repository.models import Repository
from repository.proxy.settings import ProxySettings
from repository.proxy.shared import StateUnavailable, shared_state

_EPOCH_SECONDS = 365 * 24 * 3600
_KNOWN_SECONDS = 7 * 24 * 3600
_SETTLED_SECONDS = 120


def _epoch(repository: Repository) -> str:
    try:
        return shared_state().get(f"epoch:{repository.pk}") or "0"
    except StateUnavailable:
        return "0"


def file_name(path: str) -> str:
    """What a file's marks are kept under: never a package's name."""
    return "file:" + path


def _key(repository: Repository, kind: str, name: str) -> str:
    return _keys(repository, name, kind)[0]


def _keys(repository: Repository, name: str, *kinds: str) -> list[str]:
    """The keys of `name`'s marks of these kinds (the epoch read once for all)."""
    epoch = _epoch(repository)
    return [f"{kind}:{repository.pk}:{epoch}:{name}" for kind in kinds]


def fetched_at(repository: Repository, name: str) -> float | None:
    """When the document was last fetched (or confirmed unchanged), while it is fresh."""
    try:
        value = shared_state().get(_key(repository, "fresh", name))
    except StateUnavailable:
        return None
    return float(value) if value else None


def fresh_until(repository: Repository, settings: ProxySettings, name: str) -> float | None:
    """Until when (time.time()) the copy is fresh; None if it is stale now."""
    fetched = fetched_at(repository, name)
    return None if fetched is None else fetched + settings.metadata_ttl


def mark_fresh(
    repository: Repository,
    settings: ProxySettings,
    name: str,
    ttl: float | None = None,
    *,
    settled: bool = False,
) -> None:
    """Fresh for `ttl` seconds from now (by default the metadata TTL); `settled`: and
    mark_settled() in the same write."""
    ttl = settings.metadata_ttl if ttl is None else ttl
    with suppress(StateUnavailable):
        known, missing, fresh, settled_key = _keys(
            repository, name, "known", "missing", "fresh", "settled"
        )
        now = str(time.time())
        sets = {known: ("1", _KNOWN_SECONDS)}
        if ttl > 0:
            sets[fresh] = (now, ttl)
        if settled:
            sets[settled_key] = (now, _SETTLED_SECONDS)
        shared_state().update(sets, deletes=(missing,))


def fetched_since_invalidated(repository: Repository, name: str) -> bool:
    """False after `larder proxy invalidate` (or a lost shared state): recheck first."""
    try:
        return shared_state().get(_key(repository, "known", name)) is not None
    except StateUnavailable:
        return True


def mark_missing(repository: Repository, settings: ProxySettings, name: str) -> None:
    """Remember the upstream's 404 for the negative TTL only."""
    if settings.negative_ttl <= 0:
        return
    with suppress(StateUnavailable):
        shared_state().set(_key(repository, "missing", name), "1", settings.negative_ttl)


def mark_settled(repository: Repository, name: str) -> None:
    """A fetch just ended well: whoever waited on it may read the rows (whatever the TTLs,
    which may be 0 and leave no other mark)."""
    with suppress(StateUnavailable):
        shared_state().set(_key(repository, "settled", name), str(time.time()), _SETTLED_SECONDS)


def settled_since(repository: Repository, name: str, moment: float) -> bool:
    try:
        value = shared_state().get(_key(repository, "settled", name))
    except StateUnavailable:
        return False
    return value is not None and float(value) >= moment


def known_missing(repository: Repository, name: str) -> bool:
    try:
        return shared_state().get(_key(repository, "missing", name)) is not None
    except StateUnavailable:
        return False


def forget(repository: Repository, name: str | None = None) -> None:
    """Make the next request for `name` (or for anything, with None) ask the upstream."""
    state = shared_state()
    if name is None:
        state.incr(f"epoch:{repository.pk}", _EPOCH_SECONDS)
    else:
        state.delete(*_keys(repository, name, "fresh", "missing", "known"))
