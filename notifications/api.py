"""The notifications part of the JSON API: your notifications, the unread count, marking
them read. The same selectors and services as the site's notification pages."""

from django.http import Http404
from ninja import Query, Router

from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import PageIn, paginated_queryset

from . import selectors, services
from .schemas import MarkedOut, NotificationPageOut, UnreadCountOut

router = Router(tags=["notifications"])

SIGNED_IN_ERRORS = {401: ErrorOut, 429: ErrorOut}


@router.get(
    "/",
    auth=jwt_auth,
    response={200: NotificationPageOut, 400: ErrorOut, **SIGNED_IN_ERRORS},
    summary="Your notifications",
    description=f"Newest first, {selectors.PAGE_SIZE} a page, read and unread, with the "
    "count of unread ones.",
)
def list_notifications(request, query: Query[PageIn]):
    return paginated_queryset(
        request,
        selectors.notifications_for(request.user),
        page=query.page,
        page_size=selectors.PAGE_SIZE,
        unread_count=selectors.unread_count(request.user),
    )


@router.get(
    "/unread-count/",
    auth=jwt_auth,
    response={200: UnreadCountOut, **SIGNED_IN_ERRORS},
    summary="How many of your notifications are unread",
    description="One cheap read, for a badge that polls.",
)
def unread_count(request):
    return {"unread_count": selectors.unread_count(request.user)}


@router.post(
    "/{int:notification_id}/read/",
    auth=jwt_auth,
    response={200: MarkedOut, 404: ErrorOut, **SIGNED_IN_ERRORS},
    summary="Mark one notification read",
    description="Marking one already read changes nothing (`marked: 0`). Someone else's "
    "notification is 404, as one that does not exist.",
)
def mark_read(request, notification_id: int):
    if not selectors.notifications_for(request.user).filter(pk=notification_id).exists():
        raise Http404
    marked = services.mark_read(user=request.user, notification_id=notification_id)
    return {"marked": marked, "unread_count": selectors.unread_count(request.user)}


@router.post(
    "/read-all/",
    auth=jwt_auth,
    response={200: MarkedOut, **SIGNED_IN_ERRORS},
    summary="Mark all your notifications read",
)
def mark_all_read(request):
    marked = services.mark_all_read(user=request.user)
    return {"marked": marked, "unread_count": 0}
