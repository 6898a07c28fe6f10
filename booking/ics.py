"""iCalendar (RFC 5545) text for bookings: a file per booking, a feed per provider."""

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone


def _escape(text: str) -> str:
    # Every kind of line break becomes the escaped \n: a bare CR left in the text would end
    # the line for some calendar apps, letting typed text add properties (RFC 5545 3.3.11).
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    # Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1).
    encoded, parts = line.encode(), []
    while len(encoded) > 75:
        cut = 75
        while (encoded[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = b" " + encoded[cut:]
    parts.append(encoded.decode())
    return "\r\n".join(parts)


def _stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(booking) -> list[str]:
    link = settings.SITE_URL + reverse("booking:detail", args=[booking.booking_reference])
    location = ", ".join(
        part
        for part in (
            booking.service_address,
            booking.service_city.name,
            booking.service_state,
            booking.service_postal_code,
        )
        if part
    )
    return [
        "BEGIN:VEVENT",
        f"UID:{booking.booking_reference}@marketplace",
        f"DTSTAMP:{_stamp(timezone.now())}",
        f"DTSTART:{_stamp(booking.starts_at)}",
        f"DTEND:{_stamp(booking.ends_at)}",
        f"SUMMARY:{_escape(f'{booking.service.title} ({booking.booking_reference})')}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(f'{booking.get_status_display()}. {link}')}",
        f"URL:{link}",
        "STATUS:" + ("CONFIRMED" if booking.status == "CONFIRMED" else "TENTATIVE"),
        "END:VEVENT",
    ]


def calendar(bookings, *, name: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Marketplace//Bookings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for booking in bookings:
        lines.extend(_event(booking))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
