"""Messaging pages: the inbox, a conversation, asking from a service or a booking, reporting
and hiding a message. Thin: each parses a form and calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from booking.models import Booking
from booking.selectors import booking_for_user
from catalog.selectors import public_services
from core import live
from core.errors import DomainError
from core.forms import add_domain_error
from core.next_url import safe_next_url
from core.ratelimit import RateLimitExceeded
from core.storage import private_storage

from . import conf, selectors, services
from .errors import ConversationNotFound
from .forms import HideForm, MessageForm, PreferenceForm, ReportForm
from .limits import count_send
from .models import Message


def _readable(request, pk):
    try:
        return selectors.readable_conversation(request.user, pk)
    except ConversationNotFound:
        raise Http404("No such conversation.") from None


def _participants_only(request):
    if not (request.user.is_customer or request.user.is_provider):
        raise PermissionDenied("Messages are between customers and providers.")


@login_required
@require_GET
def inbox(request):
    _participants_only(request)
    page = Paginator(selectors.inbox(request.user), conf.INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "messaging/inbox.html", {"page": page})


@login_required
@require_POST
def preferences(request):
    _participants_only(request)
    form = PreferenceForm(request.POST)
    form.is_valid()  # a checkbox: absent is off
    services.set_email_preference(
        user=request.user, email_unread=form.cleaned_data.get("email_unread", False)
    )
    messages.success(request, "Your message email choice is saved.")
    return redirect(safe_next_url(request, reverse("messaging:inbox")))


@login_required
@never_cache
@require_GET
def unread_badge(request):
    return render(
        request,
        "includes/nav.html#message-badge",
        {"unread_messages": selectors.unread_message_count(request.user)},
    )


def _send(request, conversation, form):
    """Send the form's message, counted against the limits; None when sent, else a refusal
    status (the form holds the message to show)."""
    try:
        count_send(request, user=request.user, conversation=conversation)
    except RateLimitExceeded as exc:
        form.add_error(
            "body",
            "You are sending messages faster than we allow. "
            f"Please wait {exc.retry_after} seconds and send it again.",
        )
        return exc
    try:
        services.send_message(
            conversation=conversation,
            sender=request.user,
            body=form.data.get("body", ""),
            photos=form.files.getlist("photos") if form.files else (),
        )
    except DomainError as error:
        add_domain_error(form, error)
        return error
    return None


def _refused(response, refusal):
    response.status_code = refusal.status
    if isinstance(refusal, RateLimitExceeded):
        response["Retry-After"] = str(refusal.retry_after)
    return response


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def conversation(request, pk):
    conversation = _readable(request, pk)
    is_participant = conversation.side_of(request.user) is not None
    form = MessageForm()
    if request.method == "POST":
        if not is_participant:
            raise PermissionDenied("Only the two people in a conversation write in it.")
        form = MessageForm(request.POST, request.FILES)
        refusal = _send(request, conversation, form)
        if refusal is None:
            if request.htmx:
                return _thread_answer(request, conversation)
            return redirect(conversation)
        return _refused(_page(request, conversation, form), refusal)
    if request.htmx and request.GET.get("part") == "thread":
        return _thread_answer(request, conversation)
    return _page(request, conversation, form)


def _context(request, conversation, form):
    thread = selectors.thread(conversation)
    if conversation.side_of(request.user) is not None:
        services.mark_read(conversation=conversation, user=request.user)
    return {
        "conversation": conversation,
        "thread": thread,
        "form": form,
        "is_participant": conversation.side_of(request.user) is not None,
        "live": live.enabled(),
        "max_length": conf.MAX_LENGTH,
    }


def _page(request, conversation, form):
    return render(request, "messaging/conversation.html", _context(request, conversation, form))


def _thread_answer(request, conversation):
    """The thread as it is now (what a live update or a sent message swaps in), with the
    form again, emptied, by an out-of-band swap after a send."""
    context = _context(request, conversation, MessageForm())
    context["oob_form"] = request.method == "POST"
    return render(request, "messaging/conversation.html#thread", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, service_pk):
    """A customer's question from a service page: the first message of their conversation
    with its provider (or the next one, if they have talked before)."""
    service = get_object_or_404(public_services(), pk=service_pk)
    if not request.user.is_customer:
        raise PermissionDenied("Questions are asked from a customer account.")
    existing = selectors.conversation_between(customer=request.user, provider=service.provider)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        conversation = existing or services.start_conversation(
            customer=request.user, provider=service.provider, service=service
        )
        refusal = _send(request, conversation, form)
        if refusal is None:
            messages.success(request, f"Your message is sent to {service.provider.display_name}.")
            return redirect(conversation)
        response = render(
            request, "messaging/ask.html", {"service": service, "form": form, "existing": existing}
        )
        return _refused(response, refusal)
    return render(
        request, "messaging/ask.html", {"service": service, "form": form, "existing": existing}
    )


@login_required
@require_POST
def booking_conversation(request, reference):
    """The first message about a booking, from its page: opens the pair's conversation."""
    try:
        booking = booking_for_user(user=request.user, reference=reference)
    except Booking.DoesNotExist:
        raise Http404("No such booking.") from None
    try:
        conversation = services.conversation_for_booking(user=request.user, booking=booking)
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    form = MessageForm(request.POST)
    refusal = _send(request, conversation, form)
    if refusal is None:
        return redirect(conversation)
    return _refused(_page(request, conversation, form), refusal)


def _message_in(conversation, message_pk) -> Message:
    return get_object_or_404(Message, pk=message_pk, conversation=conversation)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk, message_pk):
    conversation = _readable(request, pk)
    message = _message_in(conversation, message_pk)
    if conversation.side_of(request.user) is None or message.sender_id == request.user.pk:
        raise PermissionDenied("You report the other person's messages in your conversations.")
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_message(message=message, reporter=request.user, **form.cleaned_data)
            except DomainError as error:
                if error.status == 409:
                    messages.info(request, error.message)
                    return redirect(conversation)
                add_domain_error(form, error)
            else:
                messages.success(
                    request, "Thank you. The marketplace team will read the conversation."
                )
                return redirect(conversation)
        status = 400
    context = {
        "conversation": conversation,
        "message": message,
        "body": selectors.shown_body(message, contacts_shown=conversation.contacts_shown),
        "form": form,
    }
    return render(request, "messaging/report.html", context, status=status)


@login_required
@require_POST
def hide(request, pk, message_pk):
    if not request.user.is_marketplace_staff:
        raise PermissionDenied("Only marketplace staff hide messages.")
    conversation = _readable(request, pk)
    message = _message_in(conversation, message_pk)
    form = HideForm(request.POST)
    form.is_valid()
    services.hide_message(message=message, by=request.user, reason=form.cleaned_data.get("reason"))
    messages.success(request, "The message is hidden from both participants.")
    return redirect(conversation)


@login_required
@require_GET
def photo(request, pk, photo_pk):
    """A message's photo, to the conversation's two participants (and to staff once it is
    reported); 404 to anyone else. Never cached by a shared cache."""
    try:
        attachment = selectors.readable_photo(request.user, pk, photo_pk)
    except ConversationNotFound:
        raise Http404("No such photo.") from None
    try:
        handle = private_storage.open(attachment.image_name, "rb")
    except FileNotFoundError:
        raise Http404("The file of this photo is missing.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
