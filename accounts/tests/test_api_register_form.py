"""POST /api/users/register/ validates with the site's own sign-up form (allauth's, with
SignupDetailsForm's fields): the same rules and the same messages, under the API's names."""

import pytest

from accounts.forms import SignupDetailsForm
from accounts.models import Role, User
from accounts.services import signup_form_class
from marketplace.api import api

from .api_helpers import post
from .factories import PASSWORD, CustomerFactory
from .test_api_register import REGISTER, registration

pytestmark = pytest.mark.django_db


def site_form_errors(details):
    """The errors the site's sign-up form gives for `details`, named as the API names them."""
    data = dict(details)
    data["password1"] = data.pop("password")
    data["password2"] = data.pop("password_confirm")
    form = signup_form_class()(data=data)
    form.is_valid()
    api_names = {"password1": "password", "password2": "password_confirm"}
    return {api_names.get(name, name): list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    "overrides",
    [
        {"password_confirm": "another-long-passphrase"},
        {"password": "password", "password_confirm": "password"},
        {"password": "", "password_confirm": ""},
        {"phone": "4155550123"},
        {"phone": "+1555"},
        {"email": "not-an-email", "first_name": "  "},
        {"role": Role.ADMIN},
        {"role": "ROOT"},
    ],
    ids=repr,
)
def test_register_refuses_what_the_site_refuses_with_the_same_messages(client, overrides):
    details = registration(**overrides)
    expected = site_form_errors(details)

    response = post(client, REGISTER, details)

    assert expected
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid input: see errors.", "errors": expected}
    assert not User.objects.exists()


def test_register_reports_the_other_problems_of_a_taken_email_but_not_that_it_is_taken(
    client, mailoutbox
):
    CustomerFactory(email="taken@example.com")

    response = post(
        client,
        REGISTER,
        registration(email="taken@example.com", password_confirm="another-long-passphrase"),
    )

    # As on the site, the taken address is not among them (that would tell who is registered).
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "password_confirm": ["You must type the same password each time."],
    }
    assert not mailoutbox


def test_register_accepts_a_phone_typed_with_spaces_brackets_and_dashes(client):
    typed = "+1 ( 415 ) 555 - 0123"
    assert len(typed) > 20  # longer than the site's field used to take

    response = post(client, REGISTER, registration(phone=typed))

    assert response.status_code == 201
    assert User.objects.get().phone == "+14155550123"


def test_register_schema_states_the_sign_up_forms_limits():
    properties = api.get_openapi_schema()["components"]["schemas"]["RegisterIn"]["properties"]
    fields = SignupDetailsForm.base_fields

    assert properties["phone"]["maxLength"] == fields["phone"].max_length
    assert properties["first_name"]["maxLength"] == fields["first_name"].max_length
    assert properties["last_name"]["maxLength"] == fields["last_name"].max_length
    assert properties["email"]["maxLength"] == User._meta.get_field("email").max_length
    assert properties["role"]["enum"] == [value for value, _label in fields["role"].choices]


def test_registered_password_is_the_one_sent(client):
    post(client, REGISTER, registration())

    assert User.objects.get().check_password(PASSWORD)
