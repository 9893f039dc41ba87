"""Sign-in against an LDAP directory (django-auth-ldap), configured from LARDER_LDAP_*.

Imported only when LARDER_LDAP_SERVER_URI is set (the settings list this backend then), so
a Larder without LDAP never imports python-ldap. Users are made at their first sign-in;
their directory groups are mirrored into Larder groups (by name) at every sign-in, so grants
given to a group follow the directory.
"""

from django.conf import settings
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import LDAPGroupQuery

from repository.models import ExternalIdentity


class DirectoryBackend(LDAPBackend):
    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            ExternalIdentity.objects.get_or_create(
                user=user, defaults={"source": ExternalIdentity.Source.LDAP}
            )
        return user

    def still_allowed(self, user) -> bool:
        """Whether the directory still has this user and they meet the group rules (users
        not from the directory are not its business)."""
        identity = ExternalIdentity.objects.filter(user=user).first()
        if identity is None or identity.source != ExternalIdentity.Source.LDAP:
            return True
        found = self.populate_user(user.get_username())
        if found is None:
            return False
        required = getattr(settings, "AUTH_LDAP_REQUIRE_GROUP", None)
        if required and not LDAPGroupQuery(required).resolve(found.ldap_user):
            return False
        denied = getattr(settings, "AUTH_LDAP_DENY_GROUP", None)
        return not (denied and LDAPGroupQuery(denied).resolve(found.ldap_user))
