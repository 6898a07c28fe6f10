"""Booking settings with their defaults; override any of them as `BOOKING_<NAME>` in settings.

Read at call time (`conf.SLOT_STEP_MINUTES`), so a test's `settings` fixture takes effect.
The per-provider values (buffer, notice, horizon, cancellation and expiry) are only the
defaults of a new `ProviderSchedule`; each provider then sets their own.
"""

from core.app_settings import prefixed_settings

DEFAULTS = {
    # Slots start every N minutes from the start of each working interval: :00 and :30
    # read well as a short list of buttons on a phone.
    "SLOT_STEP_MINUTES": 30,
    "DEFAULT_BUFFER_MINUTES": 15,
    "DEFAULT_MIN_NOTICE_HOURS": 12,
    "DEFAULT_MAX_ADVANCE_DAYS": 60,
    "DEFAULT_CANCELLATION_FREE_HOURS": 24,
    "DEFAULT_PENDING_EXPIRY_HOURS": 48,
    # A provider may start a confirmed job from this long before its start (arriving
    # early); it can be completed only once its start time has come.
    "START_LEAD_MINUTES": 60,
    # How often the periodic job expires unanswered requests (a divisor of 60).
    "EXPIRY_JOB_EVERY_MINUTES": 15,
}


__getattr__ = prefixed_settings(__name__, "BOOKING", DEFAULTS)
