"""The messaging errors, in the domain family of core/errors.py."""

from core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound


class MessagingError(DomainError):
    """Any refusal of a messaging service."""


class MayNotMessage(MessagingError, Forbidden):
    """This person may not write in (or start) this conversation."""


class ConversationNotFound(MessagingError, NotFound):
    """No such conversation, or not one this person may read."""


class BadMessage(MessagingError, InvalidInput):
    """The message is empty, too long or holds characters that cannot be shown."""


class AlreadyReported(MessagingError, Conflict):
    """This person has reported this message already."""
