"""What every paginated API list shares: absolute next/previous links."""


def page_url(request, page: int) -> str:
    """The current address with `page` set, absolute, other query parameters kept."""
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
