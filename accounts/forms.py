from django import forms

from .models import City, Role, ServiceProviderProfile, User, UserProfile
from .phone import normalize_phone


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "With country code, e.g. +14155550123.")
        super().__init__(**kwargs)

    def clean(self, value):
        return normalize_phone(super().clean(value))


class SignupDetailsForm(forms.Form):
    """Fields django-allauth adds to its sign-up form; the adapter saves them."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
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
