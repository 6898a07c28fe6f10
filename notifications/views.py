from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from . import selectors, services

UNREAD_CHANGED = "notifications-changed"


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@never_cache
@require_GET
def unread_badge(request):
    return render(
        request,
        "includes/nav.html#unread-badge",
        {"unread_count": selectors.unread_count(request.user)},
    )


def _done(request, message):
    if request.htmx:
        response = HttpResponse(status=204)
        # The nav's badge listens for this event and fetches the new count. A bare event
        # name, not django-htmx's trigger_client_event (which always writes a JSON object):
        # nothing rides along with the event.
        response["HX-Trigger"] = UNREAD_CHANGED
        return response
    messages.success(request, message)
    return redirect("notifications:list")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def mark_read(request, pk):
    if not selectors.notifications_for(request.user).filter(pk=pk).exists():
        # Someone else's is as absent as one that never existed; nothing is changed.
        raise Http404("No such notification.")
    services.mark_read(user=request.user, notification_id=pk)
    return _done(request, "Marked as read.")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    return _done(request, "All notifications are marked as read.")
