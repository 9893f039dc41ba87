"""Pages of `?limit=&offset=`: the default size from settings, and a ceiling per request."""

from rest_framework.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    max_limit = 500
