"""Exempting a proxied package from its repository's cooldown (or ending the exemption).

The name joins `settings.proxy.cooldown_exempt` (audited as any settings change), and the
package's index is fetched again at once, so the versions the cooldown held back come in
now instead of at its next refresh.
"""

from repository.models import Repository
from repository.proxy.errors import UpstreamError
from repository.proxy.refresh import refresh
from repository.services.repositories import update_repository


def set_cooldown_exemption(
    repository: Repository, name: str, *, exempt: bool, request=None, actor=None
) -> bool:
    """Exempt `name` (a normalized package name) or not; False if the upstream could not
    be asked now, or is never asked (offline): the change holds, and the next refresh
    brings the versions in."""
    proxy = repository.settings["proxy"]
    patterns = [pattern for pattern in proxy.get("cooldown_exempt", []) if pattern != name]
    if exempt:
        patterns.append(name)
    update_repository(
        repository,
        request=request,
        actor=actor,
        settings={**repository.settings, "proxy": {**proxy, "cooldown_exempt": patterns}},
    )
    if not exempt:
        return True
    try:
        refresh(repository, name)
    except UpstreamError:
        return False
    return True
