"""Request and response bodies of the messaging API, with the examples shown in the docs."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from core.api.text import InputSchema

from .models import ReportReason
from .selectors import shown_body
from .text import shown_text

MESSAGE_EXAMPLE = {
    "id": 812,
    "sender": "customer",
    "mine": True,
    "body": "Hello! Could you fix a dripping kitchen tap on Monday? Call me on [phone hidden].",
    "hidden": False,
    "photos": [
        {
            "id": 90,
            "url": "https://marketplace.example.com/messages/41/photos/90/",
            "width": 1280,
            "height": 960,
        }
    ],
    "created_at": "2026-03-02T13:10:00Z",
}
CONVERSATION_EXAMPLE = {
    "id": 41,
    "customer_name": "Cora Jones",
    "provider_name": "Joe's Plumbing",
    "provider_slug": "joes-plumbing",
    "service_id": 7,
    "last_message_at": "2026-03-02T13:10:00Z",
    "last_message": "Hello! Could you fix a dripping kitchen tap on Monday?",
    "unread": 1,
    "contacts_shown": False,
}


class PhotoOut(Schema):
    id: int
    url: str = Field(
        description="The photo (JPEG, at most 1280 px wide, no EXIF), served to the "
        "conversation's two participants signed in on the site."
    )
    width: int
    height: int


class MessageOut(Schema):
    id: int
    sender: Literal["customer", "provider"] = Field(description="Which side wrote it.")
    mine: bool = Field(description="Whether you wrote it.")
    body: str = Field(
        description="Plain text as written, except phone numbers and email addresses shown "
        "as `[phone hidden]` / `[email hidden]` until the provider confirms a booking with "
        "the customer; empty when the marketplace team hid the message."
    )
    hidden: bool
    photos: list[PhotoOut] = Field(description="Photos sent with it; none once hidden.")
    created_at: datetime

    model_config = ConfigDict(json_schema_extra={"examples": [MESSAGE_EXAMPLE]})

    @staticmethod
    def resolve_photos(message, context):
        if message.is_hidden:
            return []
        request = context["request"]
        return [
            {
                "id": photo.pk,
                "url": request.build_absolute_uri(photo.get_absolute_url()),
                "width": photo.width,
                "height": photo.height,
            }
            for photo in message.attachments.all()
        ]

    @staticmethod
    def resolve_sender(message, context):
        return "customer" if message.sender_id == message.conversation.customer_id else "provider"

    @staticmethod
    def resolve_mine(message, context):
        return message.sender_id == context["request"].user.pk

    @staticmethod
    def resolve_body(message, context):
        return shown_body(message, contacts_shown=message.conversation.contacts_shown)

    @staticmethod
    def resolve_hidden(message, context):
        return message.is_hidden


class ConversationOut(Schema):
    id: int
    customer_name: str
    provider_name: str
    provider_slug: str
    service_id: int | None = Field(description="The service it was first about, if any.")
    last_message_at: datetime | None
    last_message: str = Field(description="The latest visible message, masked like `body`.")
    unread: int = Field(description="Messages from the other side you have not read.")
    contacts_shown: bool = Field(description="Whether contact details show unmasked.")

    model_config = ConfigDict(json_schema_extra={"examples": [CONVERSATION_EXAMPLE]})

    @staticmethod
    def resolve_customer_name(conversation):
        return conversation.customer.get_full_name() or "Customer"

    @staticmethod
    def resolve_provider_name(conversation):
        return conversation.provider.display_name

    @staticmethod
    def resolve_provider_slug(conversation):
        return conversation.provider.slug

    @staticmethod
    def resolve_last_message(conversation):
        return shown_text(conversation.last_body or "", masked=not conversation.contacts_shown)


class ConversationPageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ConversationOut]
    unread_count: int = Field(description="All your unread messages, not only this page's.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [CONVERSATION_EXAMPLE],
                    "unread_count": 1,
                }
            ]
        }
    )


class MessagePageOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[MessageOut] = Field(description="Newest first.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"count": 1, "next": None, "previous": None, "results": [MESSAGE_EXAMPLE]}]
        }
    )


class ConversationIn(InputSchema):
    MULTILINE = frozenset({"body"})

    service: int | None = Field(
        None, description="Ask about this listed service (its provider gets the message)."
    )
    booking: str | None = Field(
        None, description="Or write about this booking of yours (its reference)."
    )
    body: str = Field(description="The first message: plain text, not empty, within the limit.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"service": 7, "body": "Do you fix boilers?"}]}
    )


class MessageIn(InputSchema):
    MULTILINE = frozenset({"body"})

    body: str = Field(description="Plain text, not empty, at most MESSAGING_MAX_LENGTH (2000).")

    model_config = ConfigDict(json_schema_extra={"examples": [{"body": "Monday at 10 is fine."}]})


class ReportIn(InputSchema):
    reason: ReportReason
    details: str = Field("", max_length=500)

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "OFF_PLATFORM", "details": "Asks for cash."}]}
    )


class ReportOut(Schema):
    id: int
    message_id: int
    reason: ReportReason
    created_at: datetime

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": 5, "message_id": 812, "reason": "SPAM", "created_at": "2026-03-02T13:20:00Z"}
            ]
        }
    )


class UnreadMessagesOut(Schema):
    unread_count: int

    model_config = ConfigDict(json_schema_extra={"examples": [{"unread_count": 2}]})
