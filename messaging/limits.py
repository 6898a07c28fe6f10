"""Sending limits, shared by the site and the API: per user and per conversation."""

from core.ratelimit import hit

from . import conf


def count_send(request, *, user, conversation) -> None:
    """Count one message; raise core.ratelimit.RateLimitExceeded (429, Retry-After) when the
    sender or the conversation went over MESSAGING_SEND_RATE_PER_USER / _PER_CONVERSATION."""
    hit(request, scope="message-user", rate=conf.SEND_RATE_PER_USER, key=f"user:{user.pk}")
    hit(
        request,
        scope="message-conversation",
        rate=conf.SEND_RATE_PER_CONVERSATION,
        key=f"conversation:{conversation.pk}",
    )
