"""The one family of domain errors every service raises.

A service refuses by raising one of these; nothing it was asked to do has been written. The
`message` is safe to show to the person who asked (it never leaks someone else's data), and
`field` names the input at fault (a form field or API payload key), or is None when the
request as a whole is refused.

The subclass says what kind of refusal it is, and so what a client gets:

    Refused           400  a rule refuses what was asked (the message says which)
    InvalidInput      400  the values sent are wrong, field by field (like a form's errors)
    NotAuthenticated  401  the credentials or token are wrong
    Forbidden         403  this person may never do this
    NotFound          404  no such thing, or not yours (the API does not say which)
    Conflict          409  the current state or the clock stands in the way
    RateLimited       429  too many attempts; try again after `retry_after` seconds

An app names its own errors by subclassing its base and a kind, e.g.
`class SlotTaken(BookingError, Conflict)`, so callers can catch either. The API maps the
whole family in one handler (core/api/errors.py); the site shows them with
`core.forms.add_domain_error` or as a flash message.
"""


class DomainError(Exception):
    """A business rule refused the request; nothing was changed."""

    status = 400
    # JSON-ready data a client needs beyond the message (e.g. the next free slots).
    extra: dict = {}

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Refused(DomainError):
    """A rule refuses what was asked."""


class InvalidInput(Refused):
    """The values sent are wrong; `errors` holds the messages per field ("__all__" for those
    about the request as a whole): one field's (`field`) or several at once (`errors`)."""

    def __init__(self, message: str, *, field: str | None = None, errors=None):
        super().__init__(message, field=field)
        self.errors = errors if errors is not None else {field or "__all__": [message]}


class NotAuthenticated(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class RateLimited(DomainError):
    status = 429

    def __init__(self, message: str, *, retry_after: int, field: str | None = None):
        super().__init__(message, field=field)
        self.retry_after = max(1, int(retry_after))
