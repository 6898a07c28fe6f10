from django import forms

from core.images import ACCEPT_ATTRIBUTE

from . import conf
from .models import ReportReason


class MultiplePhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MessageForm(forms.Form):
    # The length is checked by the service (one message for the site and the API); the
    # browser's own limit sits a little higher so the service's clear message is what shows.
    body = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=False,
        required=False,
    )

    # Checked by the service (core/images.py), which names the file at fault.
    photos = forms.FileField(
        label="Photos (optional)",
        required=False,
        widget=MultiplePhotosInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = conf.MAX_LENGTH + 500
        self.fields[
            "photos"
        ].help_text = (
            f"Up to {conf.MAX_PHOTOS} JPEG, PNG or WebP pictures; we remove their location data."
        )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label="Why are you reporting it?", choices=ReportReason.choices)
    details = forms.CharField(
        label="Anything we should know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label="Reason (kept for the record)", required=False, max_length=300)


class PreferenceForm(forms.Form):
    email_unread = forms.BooleanField(
        label="Email me when a message waits unread for 10 minutes", required=False
    )
