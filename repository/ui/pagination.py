"""Pages of a long list whose links keep the rest of the query string (search, other pagers)."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


@dataclass
class Pager:
    page: Page
    previous_url: str | None
    next_url: str | None

    def __iter__(self):
        return iter(self.page)


def _url(request: HttpRequest, param: str, number: int) -> str:
    query = request.GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()


def paginate(request: HttpRequest, items, per_page: int, param: str = "page") -> Pager:
    """The requested page (out-of-range numbers fall back to the nearest page)."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    return Pager(
        page=page,
        previous_url=_url(request, param, page.previous_page_number())
        if page.has_previous()
        else None,
        next_url=_url(request, param, page.next_page_number()) if page.has_next() else None,
    )
