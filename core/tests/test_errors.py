"""The domain error family: what a client of the API and a person on the site get."""

import json

import pytest
from django import forms
from django.test import RequestFactory
from ninja import NinjaAPI

from core.api.errors import install_error_handlers
from core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
    Refused,
)
from core.forms import add_domain_error


def answer(error: DomainError):
    """What the API's one handler answers for `error`: (status, body, Retry-After)."""
    api = NinjaAPI(urls_namespace=f"errors-{id(error)}")
    install_error_handlers(api)
    response = api.on_exception(RequestFactory().get("/api/x/"), error)
    return response.status_code, json.loads(response.content), response.get("Retry-After")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Refused("No."), 400),
        (NotAuthenticated("Who are you?"), 401),
        (Forbidden("Never you."), 403),
        (Conflict("Not now."), 409),
    ],
)
def test_each_kind_answers_its_status_with_its_message(error, status):
    assert answer(error) == (status, {"detail": error.message}, None)


def test_a_refusal_names_the_field_at_fault():
    status, body, _ = answer(Refused("That time has passed.", field="starts_at"))

    assert (status, body) == (
        400,
        {"detail": "That time has passed.", "errors": {"starts_at": ["That time has passed."]}},
    )


def test_a_conflict_keeps_its_field_out_of_the_answer():
    # A 409 is about the state, not something the client could retype.
    assert answer(Conflict("Not now.", field="status"))[1] == {"detail": "Not now."}


def test_invalid_input_lists_every_field_like_a_form():
    error = InvalidInput("Fix these.", errors={"email": ["Taken."], "phone": ["Too short."]})

    assert answer(error)[:2] == (
        400,
        {
            "detail": "Invalid input: see errors.",
            "errors": {"email": ["Taken."], "phone": ["Too short."]},
        },
    )


def test_not_found_does_not_reveal_that_the_thing_exists():
    assert answer(NotFound("This service belongs to another provider.")) == (
        404,
        {"detail": "Not found."},
        None,
    )


def test_rate_limited_says_when_to_come_back():
    assert answer(RateLimited("Slow down.", retry_after=0.2)) == (
        429,
        {"detail": "Slow down."},
        "1",
    )


def test_an_apps_error_can_carry_more_for_the_client():
    class Taken(Conflict):
        extra = {"next_slots": ["10:00"]}

    assert answer(Taken("Just taken."))[1] == {"detail": "Just taken.", "next_slots": ["10:00"]}


class ContactForm(forms.Form):
    email = forms.EmailField()


def test_on_a_form_an_error_sits_beside_its_field_or_above_the_form():
    form = ContactForm(data={"email": "a@example.com"})
    assert form.is_valid()

    add_domain_error(form, Refused("Taken.", field="email"))
    add_domain_error(form, Refused("Try later.", field="not_on_this_form"))
    add_domain_error(form, InvalidInput("x", errors={"email": ["Bounced."], "__all__": ["No."]}))

    assert form.errors == {"email": ["Taken.", "Bounced."], "__all__": ["Try later.", "No."]}
