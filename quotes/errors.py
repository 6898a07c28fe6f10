"""Quotes' domain errors: one base, and a kind per answer (core/errors.py)."""

from core.errors import Conflict, DomainError, Forbidden


class QuoteError(DomainError):
    """A quote rule refused the request (400, naming `field` when one input is at fault)."""


class NotYourQuote(QuoteError, Forbidden):
    """This person may never do this to this quote request."""


class QuoteClosed(QuoteError, Conflict):
    """The request's status (or the clock) rules it out now; nothing was changed."""


class AlreadyAccepted(QuoteClosed):
    """The quote was accepted already (a double click, two tabs): `booking` is the one it made."""

    def __init__(self, message: str, *, booking):
        super().__init__(message)
        self.booking = booking

    @property
    def extra(self) -> dict:
        return {"booking_reference": self.booking.booking_reference}
