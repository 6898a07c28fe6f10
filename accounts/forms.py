from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import UserAttributeSimilarityValidator

from .documents import (
    ACCEPTED_EXTENSIONS,
    DOCUMENT_TYPES,
    MAX_DOCUMENTS_PER_KIND,
    inspect_documents,
    megabytes,
    validate_insurance_expiry,
)
from .limits import MAX_CITIES_PER_PROVIDER, TOO_MANY_CITIES
from .models import City, Role, ServiceProviderProfile, User, UserProfile
from .phone import PHONE_INPUT_MAX_LENGTH, normalize_phone


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", PHONE_INPUT_MAX_LENGTH)
        kwargs.setdefault("help_text", "With country code, e.g. +14155550123.")
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))


class SignupDetailsForm(forms.Form):
    """Fields django-allauth adds to its sign-up form; the adapter saves them.

    The API's sign-up validates through this same form (services.sign_up).
    """

    first_name = forms.CharField(
        max_length=User._meta.get_field("first_name").max_length, label="First name"
    )
    last_name = forms.CharField(
        max_length=User._meta.get_field("last_name").max_length, label="Last name"
    )
    phone = PhoneField(required=False, label="Phone (optional)")
    role = forms.ChoiceField(
        label="I want to",
        choices=[
            (Role.CUSTOMER, "Book workers (customer)"),
            (Role.PROVIDER, "Offer my services (provider)"),
        ],
        initial=Role.CUSTOMER,
        widget=forms.RadioSelect,
    )

    field_order = ["first_name", "last_name", "email", "phone", "role", "password1", "password2"]

    def clean(self):
        # allauth checks the password against a stand-in user holding only the email; a
        # password made of the person's own name is as guessable, so check that too.
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password:
            person = User(
                first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                UserAttributeSimilarityValidator(
                    user_attributes=("first_name", "last_name")
                ).validate(password, person)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def signup(self, request, user):
        """Nothing left to do: AccountAdapter.save_user stored these fields."""


class UserDetailsForm(forms.ModelForm):
    phone = PhoneField(required=False)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = UserProfile
        fields = [
            "avatar",
            "address",
            "city",
            "state",
            "postal_code",
            "time_zone",
            "preferred_language",
        ]


class ProviderProfileForm(forms.ModelForm):
    cities = forms.ModelMultipleChoiceField(
        queryset=City.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Customers in these cities can book you.",
    )
    years_of_experience = forms.IntegerField(min_value=0, max_value=80)

    class Meta:
        model = ServiceProviderProfile
        fields = ["business_name", "bio", "years_of_experience", "cities"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_name"].required = True

    def clean_cities(self):
        return cities_within_limit(self.cleaned_data["cities"])


def cities_within_limit(cities):
    if len(cities) > MAX_CITIES_PER_PROVIDER:
        raise forms.ValidationError(TOO_MANY_CITIES)
    return cities


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """One or more PDF, JPEG or PNG files, each judged by its content (accounts.documents)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # A hint for the browser's file picker only: the content decides.
        self.widget.attrs["accept"] = ",".join(
            [*ACCEPTED_EXTENSIONS, *(t.content_type for t in DOCUMENT_TYPES)]
        )

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data or []) if upload]
        if not uploads and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        inspect_documents(uploads)
        return uploads


class VerificationApplicationForm(forms.Form):
    identity_documents = DocumentsField(
        label="Identity document",
        help_text="A passport, ID card or driving licence: PDF, JPEG or PNG, "
        "both sides if it has two.",
    )
    trade_documents = DocumentsField(
        label="Trade documents",
        help_text="Qualifications, trade licence, certificate of insurance: PDF, JPEG or PNG.",
    )
    statement = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In a few lines: your trade, your experience, what the documents show.",
    )
    licence_number = forms.CharField(
        label="Licence number (optional)", max_length=64, required=False
    )
    insurance_expires_on = forms.DateField(
        label="Insurance expires on (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_insurance_expiry],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = megabytes(settings.VERIFICATION_DOCUMENT_MAX_BYTES)
        for name in ("identity_documents", "trade_documents"):
            self.fields[name].help_text += f" Up to {MAX_DOCUMENTS_PER_KIND} files, {limit} each."


class RejectionReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="The provider reads this in their email and on their verification page.",
    )


class VerificationWithoutApplicationReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=(
            "Why you vouch for them without an application and its documents: what you "
            "checked and how. It is kept on the decision, in their verification history."
        ),
    )
