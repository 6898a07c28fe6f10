"""Messaging settings with their defaults; override any of them as `MESSAGING_<NAME>`.

Read at call time (`conf.MAX_LENGTH`), so a test's `settings` fixture takes effect.
"""

from core.app_settings import prefixed_settings

DEFAULTS = {
    # The longest message, in characters: a question and its details, not a document.
    "MAX_LENGTH": 2000,
    # Phone numbers and email addresses typed into a message are shown masked:
    #   "until_confirmed" (default): until the customer has a booking with that provider
    #       that the provider confirmed (CONFIRMED, IN_PROGRESS or COMPLETED), then shown
    #       as typed, earlier messages included;
    #   "always": never shown; "never": never masked.
    "MASK_CONTACTS": "until_confirmed",
    # An unread message older than this sends its recipient one email for the conversation.
    "UNREAD_EMAIL_AFTER_MINUTES": 10,
    # Sending, per user across all their conversations and per conversation (both sides
    # together); django-ratelimit rates, counted in the cache like the API's limits.
    "SEND_RATE_PER_USER": "120/h",
    "SEND_RATE_PER_CONVERSATION": "20/m",
    # Photos one message may carry (each checked by core/images.py, IMAGE_MAX_BYTES etc.).
    "MAX_PHOTOS": 4,
    # The width of the copy a conversation shows (the cleaned original is kept too).
    "PHOTO_WIDTH": 1280,
    # Conversations an inbox page, messages a conversation page (newest last).
    "INBOX_PAGE_SIZE": 20,
    "MESSAGES_PAGE_SIZE": 50,
}


__getattr__ = prefixed_settings(__name__, "MESSAGING", DEFAULTS)
