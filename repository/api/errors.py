"""API errors as DRF JSON: `{"detail": "..."}` with the status that fits."""

from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import status
from rest_framework.exceptions import APIException


class Rejected(APIException):
    """A request a service refused (its ValueError message is the detail)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "invalid request"
    default_code = "invalid"


def not_found(request: HttpRequest, path: str = ""):
    """Unknown URLs below /api/v1/ answer in JSON too, not with the UI's HTML page.

    A URL that lacks only its trailing slash is redirected with 308, which keeps the method
    and body (this catch-all route stops Django's APPEND_SLASH from seeing such URLs).
    """
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            target = request.path + "/" + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target, preserve_request=True)
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
