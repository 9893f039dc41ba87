"""What every page's header needs to know: whether to show the admin pages' links."""

from functools import partial

from django.http import HttpRequest

from repository.access.permissions import has_global_role
from repository.models import Role


def navigation(request: HttpRequest) -> dict:
    # A callable: templates call it only where they ask, so pages that don't pay nothing.
    return {"is_global_admin": partial(has_global_role, request, Role.ADMIN)}
