"""The one shape of a paginated API list: `{count, next, previous, results}`."""

from ninja import Field

from core.api.text import InputSchema
from core.errors import InvalidInput


class PageIn(InputSchema):
    """A list's one query parameter: which page."""

    page: int = Field(1, ge=1, le=2**31 - 1, description="1 (the default) to the last page.")


def page_url(request, page: int) -> str:
    """The current address with `page` set, absolute, other query parameters kept."""
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginated(request, *, page: int, num_pages: int, count: int, results, **extra) -> dict:
    """Page `page` of `num_pages` as the API answers it, with absolute next/previous links.

    A page past the last is a 400 naming `page` (the site shows the last page instead, but a
    client asked for one that is not there). `extra` adds fields a list has of its own.
    """
    if page > num_pages:
        raise InvalidInput(f"The last page is {num_pages}.", field="page")
    return {
        "count": count,
        "next": page_url(request, page + 1) if page < num_pages else None,
        "previous": page_url(request, page - 1) if page > 1 else None,
        "results": results,
        **extra,
    }


def paginated_queryset(request, queryset, *, page: int, page_size: int, **extra) -> dict:
    """`paginated` for a queryset: one COUNT and one read of the page's rows."""
    count = queryset.count()
    num_pages = max(1, -(-count // page_size))
    if page > num_pages:
        raise InvalidInput(f"The last page is {num_pages}.", field="page")
    rows = list(queryset[(page - 1) * page_size : page * page_size])
    return paginated(request, page=page, num_pages=num_pages, count=count, results=rows, **extra)
