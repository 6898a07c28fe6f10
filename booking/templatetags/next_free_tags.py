"""The next free time on cards and service pages (booking.next_free), loaded by catalog's
templates: `{% next_free_times services as next_free %}` once for a page of cards (two cache
round trips, a constant number of queries on a miss), then `{% next_free_line service
next_free %}` in each card."""

import hashlib

from django import template
from django.utils.html import format_html

from booking import next_free

register = template.Library()


@register.simple_tag
def next_free_times(services):
    """{service id: NextFree or None}; one service alone is accepted too (its page)."""
    if hasattr(services, "pk"):
        services = [services]
    return next_free.next_free_for(list(services))


@register.simple_tag
def next_free_line(service, times, css_class="next-free"):
    """ "Next free: tomorrow 09:30" linking to that slot's step; nothing for a quote-only
    service; "No free time soon" when the provider's horizon is full."""
    if service.pk not in (times or {}):
        return ""
    found = times[service.pk]
    if found is None:
        return format_html('<p class="{} muted">No free time soon</p>', css_class)
    return format_html(
        '<p class="{}"><a href="{}">Next free: {} {}</a></p>',
        css_class,
        found.step_url,
        found.day_words(),
        found.starts_at.strftime("%H:%M"),
    )


@register.simple_tag
def next_free_key(times) -> str:
    """A short digest of a page's next free times, for the key of its cached HTML."""
    text = ",".join(
        f"{pk}:{found.starts_at.isoformat() if found else '-'}"
        for pk, found in sorted(times.items())
    )
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
