"""Booking's domain errors: one base, and a kind per answer (core/errors.py)."""

from core.errors import Conflict, DomainError, Forbidden

from .slots import slot_fields


class BookingError(DomainError):
    """A booking rule refused the request (400, naming `field` when one input is at fault);
    the subclasses below say when it is another kind (core/errors.py)."""


class SlotTaken(BookingError, Conflict):
    """Someone else holds that time; `next_slots` are the next free ones to offer instead."""

    def __init__(self, message: str, *, next_slots=(), field: str | None = "starts_at"):
        super().__init__(message, field=field)
        self.next_slots = list(next_slots)

    @property
    def extra(self) -> dict:
        # So a client can offer the next free times at once.
        return {"next_slots": [slot_fields(slot) for slot in self.next_slots]}


class NotAllowed(BookingError):
    """The booking cannot change this way for this person or at this moment; nothing was
    changed. Raised as one of the two kinds below."""

    @property
    def forbidden(self) -> bool:
        """True when this person may never do it, False when the state or clock is in the way."""
        return isinstance(self, Forbidden)


class NotYours(NotAllowed, Forbidden):
    """This person may never do this to this booking."""


class NotNow(NotAllowed, Conflict):
    """The booking's status or the clock stands in the way."""
