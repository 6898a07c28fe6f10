import logging
import re
import time
import uuid

import sentry_sdk
from django.contrib.messages import get_messages
from django.template.loader import render_to_string

from .logging import current_request_id

request_logger = logging.getLogger("marketplace.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    """Give each request an id (kept from X-Request-ID when sane) and log one line for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        # On this request's scope (a no-op without SENTRY_DSN): an error report names it.
        sentry_sdk.set_tag("request_id", request.id)
        token = current_request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        response["X-Request-ID"] = request.id
        return response


class HtmxMessagesMiddleware:
    """Deliver flash messages after HTMX swaps by appending an out-of-band messages region."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        htmx = getattr(request, "htmx", False)
        if (
            not htmx
            or htmx.boosted
            or 300 <= response.status_code < 400
            or "HX-Redirect" in response
            or not response.get("Content-Type", "").startswith("text/html")
            or getattr(response, "streaming", False)
        ):
            return response
        storage = get_messages(request)
        # `used` means the swapped fragment already showed them; len() does not consume them.
        if storage.used or not len(storage):
            return response
        response.content += render_to_string(
            "includes/messages.html", {"messages": storage, "oob": True}, request=request
        ).encode(response.charset)
        return response
