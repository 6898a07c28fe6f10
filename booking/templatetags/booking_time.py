"""How the booking pages write a local time: `wall_time` adds the zone's abbreviation when the
reading happens twice that night (the clocks going back), so the two 01:00s differ."""

import zoneinfo

from django import template
from django.template import defaultfilters
from django.utils import timezone

from booking import local_time

register = template.Library()


@register.filter
def wall_time(moment, fmt="H:i"):
    """`01:00`, or `01:00 CDT` / `01:00 CST` on the night that reading happens twice; in the
    page's active time zone, as the `date` filter shows it."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    text = defaultfilters.date(local, fmt)
    naive = local.replace(tzinfo=None, fold=0)
    if len(local_time.instants(naive.date(), naive.time(), local.tzinfo)) > 1:
        text = f"{text} {local:%Z}"
    return text


@register.filter
def utc_offset(moment):
    """`-0500`: the offset a slot link carries so that the repeated hour stays unambiguous."""
    return local_time.offset_param(timezone.localtime(moment))


@register.simple_tag
def clock_change_note(day, zone_name):
    """A sentence for a day whose clocks change in the zone, or ""."""
    change = local_time.clock_change(day, zoneinfo.ZoneInfo(zone_name))
    if change is None:
        return ""
    if change.forward:
        return (
            f"The clocks go forward at {change.before:%H:%M} this night: "
            f"{change.before:%H:%M} to {change.after:%H:%M} does not exist."
        )
    return (
        f"The clocks go back at {change.before:%H:%M} this night: the hour from "
        f"{change.after:%H:%M} happens twice, first in summer time, then in winter time; "
        "each time shows its zone."
    )
