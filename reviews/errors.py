"""The review errors: how reviews.services refuses, and what reviews.selectors answers when
asked why someone cannot write or change a review now (the same error, not yet raised).

Callers name them through reviews.services (`services.NotAllowed`), as before.
"""

from core.errors import Conflict, DomainError, Forbidden, InvalidInput


class ReviewError(DomainError):
    """A review rule refused the request (400); the subclasses below say when it is another
    kind (core/errors.py)."""


class InvalidReview(ReviewError, InvalidInput):
    """A rating or text sent is not acceptable; `field` names it."""


class NotAllowed(ReviewError, Forbidden):
    """This person may never do this."""


class NotNow(ReviewError, Conflict):
    """The booking's or the review's state stands in the way."""


class AlreadyReviewed(NotNow):
    pass
