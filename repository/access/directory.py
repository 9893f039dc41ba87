"""Whether the directory still lets a user in, for credentials that outlive a sign-in.

A user the directory (LDAP) removed or disabled (out of the required group, or in the deny
group) can no longer sign in to the UI at once: every UI sign-in asks the directory. Their
tokens, and the directory password HTTP Basic clients keep sending (remembered for a minute so
pip does not bind on every request), stop working within LARDER_LDAP_RECHECK_SECONDS (60 by
default; 0: at once, one directory search per request): each use re-asks the directory at
most that often per user. Without LDAP this is one attribute test.
"""

from django.conf import settings
from django.contrib.auth import load_backend
from django.core.cache import cache

LDAP_BACKEND = "repository.access.ldapbackend.DirectoryBackend"


def directory_backend():
    """The LDAP backend when configured; None otherwise (python-ldap is never imported)."""
    if LDAP_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    return load_backend(LDAP_BACKEND)


def still_allowed(user) -> bool:
    if not user.is_active:
        return False
    backend = directory_backend()
    if backend is None:
        return True
    key = f"auth:directory:{user.pk}"
    allowed = cache.get(key)
    if allowed is None:
        allowed = backend.still_allowed(user)
        cache.set(key, allowed, settings.LARDER_LDAP_RECHECK_SECONDS)
    return allowed
