"""Shared by the booking API test modules: endpoint addresses and the times a response lists."""

BOOKINGS = "/api/bookings/"


def slots_url(service_or_id):
    return f"/api/services/{getattr(service_or_id, 'pk', service_or_id)}/slots/"


def booking_url(booking_or_reference):
    reference = getattr(booking_or_reference, "booking_reference", booking_or_reference)
    return f"{BOOKINGS}{reference}/"


def times(response):
    return [slot["scheduled_time"] for slot in response.json()["slots"]]
