"""Photos' domain errors (core/errors.py): each a kind of answer as well."""

from core.errors import DomainError, InvalidInput, NotFound, Refused


class PhotoError(DomainError):
    """Something about a photo was refused; nothing was stored."""


class PhotoInvalid(PhotoError, InvalidInput):
    """The upload or the alt text is wrong (the message names the file)."""


class TooManyPhotos(PhotoError, Refused):
    pass


class PhotoNotFound(PhotoError, NotFound):
    """No such photo or service, or not this provider's."""
