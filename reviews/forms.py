from django import forms

from .models import (
    COMMENT_MAX_LENGTH,
    RATING_WORDS,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    SUB_RATINGS,
    TITLE_MAX_LENGTH,
    Review,
)

RATING_CHOICES = [(stars, f"{stars} – {word}") for stars, word in RATING_WORDS.items()]


def _rating_field(label):
    # RadioSelect renders as a fieldset with the label as its legend: an accessible group.
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose from 1 to 5."},
    )


class ReviewForm(forms.Form):
    rating = _rating_field("Overall")
    quality_rating = _rating_field(SUB_RATINGS["quality_rating"])
    punctuality_rating = _rating_field(SUB_RATINGS["punctuality_rating"])
    professionalism_rating = _rating_field(SUB_RATINGS["professionalism_rating"])
    value_rating = _rating_field(SUB_RATINGS["value_rating"])
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH,
        help_text="One line, e.g. “Fixed the leak in an hour”.",
    )
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What was done, how it went, would you book again?",
    )

    @classmethod
    def for_review(cls, review: Review | None, data=None):
        """The form, filled with the review's current answers when it is being edited."""
        initial = {name: getattr(review, name) for name in cls.base_fields} if review else None
        return cls(data, initial=initial)


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your public reply",
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your reply first."},
    )


class ModerationForm(forms.Form):
    """The reason asked for when hiding or unhiding reviews in Django admin."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in each review's moderation record; the customer sees it beside "
        "a hidden review.",
    )
