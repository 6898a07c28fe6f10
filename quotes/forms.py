"""The quote pages' forms: they parse what was typed; the rules are in quotes.services."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from booking.errors import BookingError
from booking.local_time import local_start
from booking.models import booking_field_length
from core import images

from .models import (
    DESCRIPTION_MAX_LENGTH,
    INCLUDED_MAX_LENGTH,
    MAX_PHOTOS,
    PREFERRED_TIMES_MAX_LENGTH,
    REASON_MAX_LENGTH,
    QuotePricing,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list, maybe empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class QuoteRequestForm(forms.Form):
    description = forms.CharField(
        label="Describe the job",
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What needs doing, how big it is, anything the provider should know.",
    )
    city = forms.ModelChoiceField(label="City of the address", queryset=None, empty_label=None)
    preferred_times = forms.CharField(
        label="Preferred days and times",
        max_length=PREFERRED_TIMES_MAX_LENGTH,
        required=False,
        help_text="For example: weekday mornings, or any Saturday.",
    )

    photos = MultipleFileField(
        label=f"Photos (optional, up to {MAX_PHOTOS})",
        required=False,
        help_text="JPEG, PNG or WebP. Only you, the provider and our team see them.",
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        try:
            # Every problem at once; quotes.services checks again before storing.
            images.inspect_images(photos, max_count=MAX_PHOTOS)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return photos


class QuoteForm(forms.Form):
    pricing = forms.ChoiceField(label="Price type", choices=QuotePricing.choices)
    price = forms.DecimalField(
        label="Price (the job, or per hour)", max_digits=10, decimal_places=2, min_value=0
    )
    estimated_hours = forms.DecimalField(
        label="Estimated hours (hourly price)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=15, help_text="The time to book, in steps of 15."
    )
    included = forms.CharField(
        label="What is included",
        max_length=INCLUDED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    valid_until = forms.DateField(
        label="Valid until", widget=forms.DateInput(attrs={"type": "date"})
    )
    proposed_date = forms.DateField(
        label="Proposed day (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    proposed_time = forms.TimeField(
        label="Proposed start time (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        data = super().clean()
        day, at = data.get("proposed_date"), data.get("proposed_time")
        data["proposed_start"] = None
        if bool(day) != bool(at):
            self.add_error("proposed_time", "Give both a day and a time, or neither.")
        elif day and at:
            try:
                data["proposed_start"] = local_start(day, at, self.zone)
            except BookingError as gap:  # a time the clocks skip that night
                self.add_error("proposed_time", gap.message)
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "pricing": data["pricing"],
            "price": data["price"],
            "estimated_hours": data.get("estimated_hours"),
            "duration_minutes": data["duration_minutes"],
            "included": data["included"],
            "valid_until": data["valid_until"],
            "proposed_start": data["proposed_start"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class AcceptForm(forms.Form):
    starts_at = forms.CharField(label="Start time")
    service_address = forms.CharField(
        label="Street address", max_length=booking_field_length("service_address")
    )
    service_postal_code = forms.CharField(
        label="Postal code", max_length=booking_field_length("service_postal_code")
    )
    customer_notes = forms.CharField(
        label="Notes for the provider (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_starts_at(self) -> datetime:
        value = self.cleaned_data["starts_at"]
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or timezone.is_naive(moment):
            raise forms.ValidationError("Choose one of the free times.")
        return moment
