"""The demo's drawn photos (#18): every demo provider has one, shown, and a re-run adds none."""

import random

import pytest
from django.core.management import call_command
from PIL import Image

from accounts.models import ServiceProviderProfile
from demo import images as demo_images
from photos.models import Photo

pytestmark = pytest.mark.django_db


def test_the_drawings_are_real_pictures():
    import io

    with Image.open(io.BytesIO(demo_images.draw_logo("Moore Plumbing", random.Random(1)))) as logo:
        assert (logo.format, logo.size) == ("JPEG", (360, 360))
    with Image.open(io.BytesIO(demo_images.draw_work(random.Random(1)))) as work:
        assert work.size == (720, 480)


def test_every_demo_provider_has_a_photo_once(client):
    call_command("seed_demo", verbosity=0)

    providers = ServiceProviderProfile.objects.filter(user__email__endswith="@example.com")
    own = Photo.objects.filter(service__isnull=True, variants_owed=False).exclude(variants=[])
    assert own.count() == providers.count() > 0
    total = Photo.objects.count()

    call_command("seed_demo", verbosity=0)
    assert Photo.objects.count() == total

    service = Photo.objects.filter(service__is_listed=True).first().service
    page = client.get(service.get_absolute_url()).content.decode()
    assert "A finished job" in page and 'type="image/webp"' in page
