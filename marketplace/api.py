"""The JSON API root: each app mounts its ninja router here."""

from csp.decorators import csp_update
from ninja import NinjaAPI

api = NinjaAPI(
    title="Marketplace API",
    version="1.0.0",
    description="Book local workers: services, bookings and reviews. Authenticate with JWT.",
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/schema/",
    # Swagger UI styles its widgets inline; scripts stay limited to our own origin.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)


@api.get("/health/", summary="Is the API up?", tags=["meta"])
def api_health(request):
    return {"status": "ok"}
