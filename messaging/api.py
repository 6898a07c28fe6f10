"""The messaging part of the JSON API: your conversations and their messages, starting one,
sending, marking read and reporting. The same services and selectors as the pages, the
same limits (429 with Retry-After)."""

from django.http import Http404
from ninja import Query, Router, Status

from booking.models import Booking
from booking.selectors import booking_for_user
from catalog.selectors import public_services
from core.api.auth import jwt_auth
from core.api.errors import ErrorOut
from core.api.pagination import PageIn, paginated_queryset
from core.errors import Forbidden, InvalidInput

from . import conf, selectors, services
from .errors import ConversationNotFound
from .limits import count_send
from .models import Message
from .schemas import (
    ConversationIn,
    ConversationOut,
    ConversationPageOut,
    MessageIn,
    MessageOut,
    MessagePageOut,
    ReportIn,
    ReportOut,
    UnreadMessagesOut,
)

router = Router(tags=["messages"])

SIGNED_IN_ERRORS = {401: ErrorOut, 429: ErrorOut}
NOT_YOURS = "404 for a conversation you do not take part in (as for one that does not exist)."


def _participants_only(user):
    if not (user.is_customer or user.is_provider):
        raise Forbidden("Messages are between customers and providers.")


def _conversation(request, conversation_id):
    """One of the caller's conversations, annotated as the inbox shows it."""
    _participants_only(request.user)
    conversation = selectors.inbox(request.user).filter(pk=conversation_id).first()
    if conversation is None:
        raise ConversationNotFound("No such conversation.")
    return conversation


@router.get(
    "/",
    auth=jwt_auth,
    response={200: ConversationPageOut, 400: ErrorOut, 403: ErrorOut, **SIGNED_IN_ERRORS},
    summary="Your conversations",
    description=f"Most recent first, {conf.INBOX_PAGE_SIZE} a page, each with its unread "
    "count and latest message. Customers and providers only (403 for staff accounts).",
)
def list_conversations(request, query: Query[PageIn]):
    _participants_only(request.user)
    return paginated_queryset(
        request,
        selectors.inbox(request.user),
        page=query.page,
        page_size=conf.INBOX_PAGE_SIZE,
        unread_count=selectors.unread_message_count(request.user),
    )


@router.get(
    "/unread-count/",
    auth=jwt_auth,
    response={200: UnreadMessagesOut, **SIGNED_IN_ERRORS},
    summary="How many messages wait for you",
    description="All your conversations together; 0 for staff accounts.",
)
def unread_count(request):
    return {"unread_count": selectors.unread_message_count(request.user)}


@router.post(
    "/",
    auth=jwt_auth,
    response={
        201: ConversationOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        **SIGNED_IN_ERRORS,
    },
    summary="Write to a provider about a service, or about one of your bookings",
    description="Name exactly one of `service` (a listed service: customers only) or "
    "`booking` (its customer or provider). A customer and a provider have one conversation, "
    "so this adds the message to it if it exists. 400 naming `body` for an empty or too long "
    "message; 404 for a service or booking you cannot see; 429 with `Retry-After` past the "
    "sending limits (MESSAGING_SEND_RATE_PER_USER, _PER_CONVERSATION).",
)
def start_conversation(request, payload: ConversationIn):
    if (payload.service is None) == (payload.booking is None):
        raise InvalidInput("Name either a service or a booking.", field="service")
    if payload.service is not None:
        service = public_services().filter(pk=payload.service).first()
        if service is None:
            raise Http404("No such service.")
        conversation = services.start_conversation(
            customer=request.user, provider=service.provider, service=service
        )
    else:
        try:
            booking = booking_for_user(user=request.user, reference=payload.booking)
        except Booking.DoesNotExist:
            raise Http404("No such booking.") from None
        conversation = services.conversation_for_booking(user=request.user, booking=booking)
    count_send(request, user=request.user, conversation=conversation)
    services.send_message(conversation=conversation, sender=request.user, body=payload.body)
    return Status(201, _conversation(request, conversation.pk))


@router.get(
    "/{int:conversation_id}/",
    auth=jwt_auth,
    response={200: ConversationOut, 403: ErrorOut, 404: ErrorOut, **SIGNED_IN_ERRORS},
    summary="One of your conversations",
    description=NOT_YOURS,
)
def get_conversation(request, conversation_id: int):
    return _conversation(request, conversation_id)


@router.get(
    "/{int:conversation_id}/messages/",
    auth=jwt_auth,
    response={200: MessagePageOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, **SIGNED_IN_ERRORS},
    summary="A conversation's messages",
    description=f"Newest first, {conf.MESSAGES_PAGE_SIZE} a page. Reading them does not mark "
    "them read (POST .../read/ does). " + NOT_YOURS,
)
def list_messages(request, conversation_id: int, query: Query[PageIn]):
    conversation = _conversation(request, conversation_id)
    page = paginated_queryset(
        request,
        selectors.message_page(conversation),
        page=query.page,
        page_size=conf.MESSAGES_PAGE_SIZE,
    )
    for message in page["results"]:
        message.conversation = conversation  # masking and sides, without a query each
    return page


@router.post(
    "/{int:conversation_id}/messages/",
    auth=jwt_auth,
    response={201: MessageOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, **SIGNED_IN_ERRORS},
    summary="Send a message",
    description="The other side's open pages hear of it at once (the live stream); an email "
    "follows only if it stays unread for 10 minutes. 400 naming `body` for an empty or too "
    "long message; 429 with `Retry-After` past the sending limits. " + NOT_YOURS,
)
def send_message(request, conversation_id: int, payload: MessageIn):
    conversation = _conversation(request, conversation_id)
    count_send(request, user=request.user, conversation=conversation)
    message = services.send_message(
        conversation=conversation, sender=request.user, body=payload.body
    )
    message.conversation = conversation
    return Status(201, message)


@router.post(
    "/{int:conversation_id}/read/",
    auth=jwt_auth,
    response={200: UnreadMessagesOut, 403: ErrorOut, 404: ErrorOut, **SIGNED_IN_ERRORS},
    summary="Mark a conversation read",
    description="Everything in it so far; answers how many messages still wait for you "
    "elsewhere. " + NOT_YOURS,
)
def mark_read(request, conversation_id: int):
    conversation = _conversation(request, conversation_id)
    services.mark_read(conversation=conversation, user=request.user)
    return {"unread_count": selectors.unread_message_count(request.user)}


@router.post(
    "/{int:conversation_id}/messages/{int:message_id}/report/",
    auth=jwt_auth,
    response={
        201: ReportOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        **SIGNED_IN_ERRORS,
    },
    summary="Report a message to the marketplace team",
    description="Only the other side's messages (403 for your own); once per message (409). "
    "The team may then read the conversation and hide the message. " + NOT_YOURS,
)
def report_message(request, conversation_id: int, message_id: int, payload: ReportIn):
    conversation = _conversation(request, conversation_id)
    message = Message.objects.filter(pk=message_id, conversation=conversation).first()
    if message is None:
        raise Http404("No such message.")
    report = services.report_message(
        message=message, reporter=request.user, reason=payload.reason, details=payload.details
    )
    return Status(201, report)
