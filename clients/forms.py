from django import forms

from .models import NOTE_MAX_LENGTH


class ClientNoteForm(forms.Form):
    text = forms.CharField(
        label="Private notes",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Gate code, pets, what they like: only you see this, never the customer.",
    )
