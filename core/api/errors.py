"""Every API error is JSON: `{"detail": "...", "errors": {field: [messages]}}`.

`errors` appears only when particular fields are wrong. The exception handlers below are
installed on the NinjaAPI (marketplace/api.py), one of them for the whole domain error
family (core/errors.py); `ApiJsonErrorsMiddleware` covers what
happens outside its operations (an unknown path, a method an operation does not take, a
server error), so a client of /api/ never receives an HTML page.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ConfigDict

from core.errors import DomainError, InvalidInput, NotFound, RateLimited
from core.unavailable import DETAIL as UNAVAILABLE_DETAIL
from core.unavailable import UNAVAILABLE_ERRORS, unavailable_response

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"

INVALID_INPUT = "Invalid input: see errors."
NOT_AUTHENTICATED = (
    "Authentication required: send a valid access token as 'Authorization: Bearer <token>'."
)

# What a client reads for an error page that carried no message of its own.
STATUS_DETAILS = {
    400: "Bad request.",
    401: NOT_AUTHENTICATED,
    403: "You do not have permission to do that.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "Request body too large.",
    429: "Too many requests. Try again later.",
    500: "Server error. It has been logged; try again later.",
    503: UNAVAILABLE_DETAIL,
}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "detail": "Invalid input: see errors.",
                    "errors": {"password_confirm": ["You must type the same password each time."]},
                },
                {"detail": "Invalid email or password."},
            ]
        }
    )


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    body = {"detail": detail}
    if errors:
        body["errors"] = errors
    return body


def _field_name(loc) -> str | None:
    """ "email" for ("body", "payload", "email"), "page" for ("query", "page")."""
    source, *path = loc
    if source == "body" and path:
        path = path[1:]  # the operation's argument name, e.g. "payload"
    return ".".join(str(part) for part in path) or None


def _message(error: dict) -> str:
    if error.get("type") == "missing":
        return "This field is required."
    return error.get("msg", "Invalid value.")


def field_errors_from_ninja(exc: NinjaValidationError) -> tuple[dict, list[str]]:
    """Pydantic's errors as {field: [messages]}, plus messages about the body as a whole."""
    errors: dict[str, list[str]] = {}
    general = []
    for error in exc.errors:
        name = _field_name(error.get("loc") or ("body",))
        if name:
            errors.setdefault(name, []).append(_message(error))
        else:
            general.append(_message(error))
    return errors, general


def install_error_handlers(api) -> None:
    """Turn exceptions raised in API operations into JSON errors."""

    def respond(request, status, detail, errors=None, headers=None):
        response = api.create_response(request, error_body(detail, errors), status=status)
        for name, value in (headers or {}).items():
            response[name] = value
        return response

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request, exc):
        errors, general = field_errors_from_ninja(exc)
        if general and not errors:
            detail = "Invalid request body: " + " ".join(general)
        else:
            detail = INVALID_INPUT
        return respond(request, 400, detail, errors)

    @api.exception_handler(DjangoValidationError)
    def rule_broken(request, exc):
        # Raised by services with a message per field, or one message for the whole request.
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
            general = errors.pop("__all__", [])
            return respond(request, 400, " ".join(general) or INVALID_INPUT, errors)
        return respond(request, 400, " ".join(exc.messages))

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request, exc):
        return respond(request, 401, NOT_AUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        # ninja adds Retry-After itself from the throttle's wait().
        return respond(request, 429, STATUS_DETAILS[429])

    @api.exception_handler(DomainError)
    def refused(request, exc):
        # Every service's refusal; the kind (core/errors.py) decides the status.
        response = api.create_response(request, domain_error_body(exc), status=exc.status)
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, STATUS_DETAILS[404])

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, str(exc) or STATUS_DETAILS[403])

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return respond(request, 413, STATUS_DETAILS[413])

    def unavailable(request, exc):
        # Redis unreachable where it is needed (core/unavailable.py): 503 + Retry-After.
        return unavailable_response(request, exc)

    for error_class in UNAVAILABLE_ERRORS:
        api.add_exception_handler(error_class, unavailable)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        logger.warning("Suspicious API request: %s", exc)
        return respond(request, 400, STATUS_DETAILS[400])


def domain_error_body(exc: DomainError) -> dict:
    """The JSON a client gets for a domain error.

    A 400 names the field at fault under `errors`; an InvalidInput lists every field's
    messages, as a form's errors are listed; a NotFound says only "Not found." (whether the
    thing exists but is someone else's is not revealed); anything else is its message,
    with the error's `extra` data (e.g. the next free slots of a taken one).
    """
    if isinstance(exc, NotFound):
        return error_body(STATUS_DETAILS[404])
    if isinstance(exc, InvalidInput):
        errors = dict(exc.errors)
        general = errors.pop("__all__", [])
        return error_body(" ".join(general) or INVALID_INPUT, errors)
    errors = {exc.field: [exc.message]} if exc.field and exc.status == 400 else None
    return error_body(exc.message, errors) | exc.extra


class ApiJsonErrorsMiddleware:
    """Under /api/, replace any non-JSON error response with the API's JSON error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PATH_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._as_json(response)
        return response

    @staticmethod
    def _as_json(response):
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase + "."
        except ValueError:
            phrase = "Error."
        json_response = JsonResponse(error_body(STATUS_DETAILS.get(status, phrase)), status=status)
        for name, value in response.items():
            if name.lower() not in {"content-type", "content-length"}:
                json_response[name] = value
        for cookie in response.cookies.values():
            json_response.cookies[cookie.key] = cookie
        return json_response
