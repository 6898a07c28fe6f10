"""The one shape of a paginated API list: `{count, next, previous, results}`."""

from django.core.exceptions import ValidationError
from ninja import Field
from pydantic import ValidationInfo, model_validator

from core.api.text import InputSchema
from core.errors import InvalidInput


class PageIn(InputSchema):
    """A list's one query parameter: which page. Any other is a 400 naming it (a misspelt
    parameter would otherwise be silently ignored)."""

    @model_validator(mode="after")
    def _only_known_parameters(self, info: ValidationInfo):
        # ninja hands the model only the parameters it declares; the request has the rest.
        request = (info.context or {}).get("request")
        unknown = sorted(set(request.GET) - set(type(self).model_fields)) if request else []
        if unknown:
            # Raised through pydantic (not a ValueError), answered as a 400 naming each.
            raise ValidationError({name: ["Unknown query parameter."] for name in unknown})
        return self

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
