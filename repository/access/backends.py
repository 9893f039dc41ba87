"""Local passwords, which can be kept for superusers alone (LARDER_LOCAL_LOGIN=superusers)
once everyone else signs in through LDAP or OIDC."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return user.is_superuser or settings.LARDER_LOCAL_LOGIN != "superusers"
