"""Request and response bodies of the notifications API, with the examples shown in the docs."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from .models import NotificationKind

NOTIFICATION_EXAMPLE = {
    "id": 301,
    "kind": "BOOKING_CONFIRMED",
    "title": "Joe's Plumbing confirmed your booking BK-7Q4K-9MZD",
    "body": "Tuesday 3 March, 10:00.",
    "url": "https://marketplace.example.com/bookings/BK-7Q4K-9MZD/",
    "created_at": "2026-03-02T13:10:00Z",
    "read_at": None,
}


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    title: str
    body: str
    url: str = Field(description="The page it is about, absolute; empty when none.")
    created_at: datetime
    read_at: datetime | None = Field(description="null while unread.")

    model_config = ConfigDict(json_schema_extra={"examples": [NOTIFICATION_EXAMPLE]})

    @staticmethod
    def resolve_url(notification, context):
        url = notification.url
        return context["request"].build_absolute_uri(url) if url.startswith("/") else url


class NotificationPageOut(Schema):
    count: int
    unread_count: int = Field(description="All your unread notifications, not only this page's.")
    next: str | None = Field(description="Absolute URL of the next page, or null.")
    previous: str | None = Field(description="Absolute URL of the previous page, or null.")
    results: list[NotificationOut] = Field(description="Newest first.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 1,
                    "unread_count": 1,
                    "next": None,
                    "previous": None,
                    "results": [NOTIFICATION_EXAMPLE],
                }
            ]
        }
    )


class UnreadCountOut(Schema):
    unread_count: int

    model_config = ConfigDict(json_schema_extra={"examples": [{"unread_count": 3}]})


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were unread and are now read.")
    unread_count: int

    model_config = ConfigDict(json_schema_extra={"examples": [{"marked": 3, "unread_count": 0}]})
