"""The dashboard's photo forms: a picture (judged by core.images, every problem shown at
once) and its alt text. The services judge the picture again, so no caller can skip it."""

from django import forms

from core import images

from .models import Photo

ALT_HELP = "What the photo shows, e.g. “Tiled walk-in shower, finished”. Read aloud to people who cannot see it."


class _ImageField(forms.FileField):
    widget = forms.ClearableFileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            images.inspect_image(upload)  # raises ValidationError naming the file
        return upload


class PhotoForm(forms.Form):
    """A new photo: the picture and its description, both required."""

    image = _ImageField(
        label="Photo",
        help_text="JPEG, PNG or WebP, up to 10 MB. Location data is removed before it is kept.",
    )
    alt_text = forms.CharField(
        label="Description (alt text)",
        max_length=Photo._meta.get_field("alt_text").max_length,
        help_text=ALT_HELP,
    )


class EditPhotoForm(forms.Form):
    """A photo described anew and, optionally, replaced."""

    alt_text = forms.CharField(
        label="Description (alt text)",
        max_length=Photo._meta.get_field("alt_text").max_length,
        help_text=ALT_HELP,
    )
    image = _ImageField(label="Replace with", required=False)

    def __init__(self, *args, photo: Photo, **kwargs):
        kwargs.setdefault("initial", {"alt_text": photo.alt_text})
        kwargs.setdefault("prefix", f"photo-{photo.pk}")
        super().__init__(*args, **kwargs)
        self.photo = photo
