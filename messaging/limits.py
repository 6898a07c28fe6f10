"""Sending limits, shared by the site and the API: per user and per conversation."""

from django.conf import settings

from core.ratelimit import hit

from . import conf


def count_send(request, *, user, conversation) -> None:
    """Count one message; raise core.ratelimit.RateLimitExceeded (429, Retry-After) when the
    sender or the conversation went over MESSAGING_SEND_RATE_PER_USER / _PER_CONVERSATION.
    Accounts in API_RATE_LIMIT_EXEMPT_EMAILS (the benchmark's client only) are not counted."""
    exempt = {email.lower() for email in settings.API_RATE_LIMIT_EXEMPT_EMAILS}
    if user.email.lower() in exempt:
        return
    hit(request, scope="message-user", rate=conf.SEND_RATE_PER_USER, key=f"user:{user.pk}")
    hit(
        request,
        scope="message-conversation",
        rate=conf.SEND_RATE_PER_CONVERSATION,
        key=f"conversation:{conversation.pk}",
    )
