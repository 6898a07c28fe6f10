from datetime import date, datetime, time

from django import forms

from catalog.models import MAX_DURATION_MINUTES, PricingType

from .models import DURATION_STEP_MINUTES, NOTES_MAX_LENGTH, Weekday


class BookingDetailsForm(forms.Form):
    """Where the job is and what the provider should know; prefilled from the profile."""

    # autocomplete: browsers and password managers fill a saved address in one tap.
    service_address = forms.CharField(
        label="Street address",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    service_city = forms.TypedChoiceField(
        label="City", coerce=int, widget=forms.Select(attrs={"autocomplete": "address-level2"})
    )
    service_state = forms.CharField(
        label="State",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    service_postal_code = forms.CharField(
        label="Postal code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )
    estimated_duration_minutes = forms.TypedChoiceField(label="How long?", coerce=int)
    customer_notes = forms.CharField(
        label="Notes for the provider (optional)",
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Access, parking, what needs doing.",
    )

    fixed_duration = None  # "1 h 30 min" for a fixed-price job, whose length is not asked

    def __init__(self, *args, service, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_city"].choices = [("", "Choose a city")] + [
            (city.pk, str(city)) for city in cities
        ]
        if service.pricing_type == PricingType.HOURLY:
            steps = range(service.duration_minutes, MAX_DURATION_MINUTES + 1, DURATION_STEP_MINUTES)
            self.fields["estimated_duration_minutes"].choices = [
                (minutes, _duration_label(minutes)) for minutes in steps
            ]
            self.fields[
                "estimated_duration_minutes"
            ].help_text = "Hourly price: the total follows the time."
        else:
            # A fixed-price job takes the time it takes: no menu with a single choice, the
            # page says how long it is (`fixed_duration`) and the value travels hidden.
            minutes = service.duration_minutes
            self.fields["estimated_duration_minutes"] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.fixed_duration = _duration_label(minutes)
            self.fixed_minutes = minutes

    def clean_estimated_duration_minutes(self):
        # A hidden value cannot be corrected by the person, so it is not read: the
        # service's own length is the booking's.
        if self.fixed_duration:
            return self.fixed_minutes
        return self.cleaned_data["estimated_duration_minutes"]


def _duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def parse_date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def parse_time(value) -> time | None:
    try:
        return datetime.strptime(value or "", "%H:%M").time()
    except ValueError:
        return None


class StatusChangeForm(forms.Form):
    status = forms.CharField(max_length=16)
    notes = forms.CharField(max_length=NOTES_MAX_LENGTH, required=False)


class ScheduleSettingsForm(forms.Form):
    time_zone = forms.CharField(label="Time zone", max_length=64)
    buffer_minutes = forms.IntegerField(
        label="Break between jobs (minutes)", min_value=0, max_value=240
    )
    min_notice_hours = forms.IntegerField(
        label="Minimum notice (hours)", min_value=0, max_value=720
    )
    max_advance_days = forms.IntegerField(
        label="Book up to (days ahead)", min_value=1, max_value=365
    )
    cancellation_free_hours = forms.IntegerField(
        label="Free cancellation until (hours before)", min_value=0, max_value=720
    )
    pending_expiry_hours = forms.IntegerField(
        label="Requests expire after (hours without an answer)", min_value=1, max_value=720
    )


class WeeklyHoursForm(forms.Form):
    """One line per weekday, e.g. "08:00-12:00, 13:00-17:00"; empty means closed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in Weekday:
            self.fields[f"day_{day.value}"] = forms.CharField(
                label=day.label,
                required=False,
                max_length=200,
                help_text="e.g. 08:00-12:00, 13:00-17:00 — leave empty if closed",
            )

    def clean(self):
        data = super().clean()
        intervals = []
        for day in Weekday:
            text = (data.get(f"day_{day.value}") or "").strip()
            for part in filter(None, (p.strip() for p in text.split(","))):
                start_text, _, end_text = part.replace("–", "-").partition("-")
                start, end = parse_time(start_text.strip()), parse_time(end_text.strip())
                if start is None or end is None:
                    self.add_error(f"day_{day.value}", f"“{part}” is not like 09:00-17:00.")
                    continue
                intervals.append((day.value, start, end))
        data["intervals"] = intervals
        return data


class TimeOffForm(forms.Form):
    start_date = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label="To (included)", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="Reason (optional)", max_length=200, required=False)
