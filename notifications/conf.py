"""Notification settings with their defaults; override any of them as `NOTIFICATIONS_<NAME>`.

Read at call time (`conf.EMAIL_LEASE_SECONDS`), so a test's `settings` fixture takes effect.
"""

from core.app_settings import prefixed_settings

DEFAULTS = {
    # How long one delivery owns an email: claimed for this long, it is sent by nobody
    # else; a process killed mid-send leaves a lease that expires, and then the email is
    # tried again. Longer than any send can take (see EMAIL_SEND_TIMEOUT_SECONDS).
    "EMAIL_LEASE_SECONDS": 300,
    # The mail server's socket timeout when settings.EMAIL_TIMEOUT is not set, so that a
    # hung server cannot hold a send past its lease (Django's own default is no timeout).
    "EMAIL_SEND_TIMEOUT_SECONDS": 30,
    # An email whose enqueued task has not settled it this long after it was due is taken
    # as lost (a refused enqueue, a consumer killed after dequeuing) and the sweeper
    # enqueues it again. Long enough that a healthy queue is never doubled.
    "EMAIL_SWEEP_AFTER_SECONDS": 60,
    # The sweeper takes owed emails this many at a time, up to EMAIL_SWEEP_MAX_BATCHES per run.
    "EMAIL_SWEEP_BATCH_SIZE": 50,
    "EMAIL_SWEEP_MAX_BATCHES": 20,
}


__getattr__ = prefixed_settings(__name__, "NOTIFICATIONS", DEFAULTS)
