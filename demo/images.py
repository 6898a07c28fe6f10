"""Demo photos drawn with Pillow at seed time (nothing downloaded, nothing licensed): a logo
for every demo provider and a picture of work for their first service, stored through
photos.services like any upload, their copies built at once so pages show them."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from accounts.models import ServiceProviderProfile
from photos import services as photo_services
from photos.models import Photo

PALETTE = [
    ((11, 92, 173), (227, 236, 250)),
    ((29, 94, 47), (230, 244, 234)),
    ((155, 28, 20), (253, 236, 235)),
    ((107, 77, 0), (255, 246, 220)),
    ((61, 66, 75), (236, 238, 241)),
    ((88, 40, 140), (240, 232, 250)),
]


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:2] if word[:1].isalnum()).upper() or "?"


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def draw_logo(name: str, rng: random.Random, size: int = 360) -> bytes:
    """A round badge with the business's initials."""
    dark, light = rng.choice(PALETTE)
    image = Image.new("RGB", (size, size), light)
    draw = ImageDraw.Draw(image)
    margin = size // 10
    draw.ellipse((margin, margin, size - margin, size - margin), fill=dark)
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), _initials(name), fill=light, font=font, anchor="mm")
    return _jpeg(image)


def draw_work(rng: random.Random, width: int = 720, height: int = 480) -> bytes:
    """A tiled wall in two colours with a window of light: "work done", abstractly."""
    dark, light = rng.choice(PALETTE)
    image = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(image)
    tile = rng.choice((60, 80, 96))
    for row, y in enumerate(range(0, height, tile)):
        for column, x in enumerate(range(0, width, tile)):
            if (row + column) % 2 == 0 or rng.random() < 0.15:
                shade = tuple(min(255, c + rng.randint(0, 40)) for c in dark)
                draw.rectangle((x + 3, y + 3, x + tile - 3, y + tile - 3), fill=shade)
    draw.rectangle((width // 3, height // 4, width * 2 // 3, height * 3 // 4), fill=(250, 250, 245))
    return _jpeg(image)


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def seed_photos(providers, seed) -> int:
    """Give each provider without an own photo a logo, and their first service a picture.
    Returns how many photos were added (0 on a re-run)."""
    added = 0
    for profile in providers:
        if Photo.objects.filter(provider=profile, service__isnull=True).exists():
            continue
        rng = random.Random(f"{seed}-photos-{profile.user.email}")
        photos = [
            photo_services.add_photo(
                user=profile.user,
                upload=_upload("logo.jpg", draw_logo(profile.display_name, rng)),
                alt_text=f"{profile.display_name} logo",
            )
        ]
        service = profile.services.order_by("pk").first()
        if service is not None:
            photos.append(
                photo_services.add_photo(
                    user=profile.user,
                    service_id=service.pk,
                    upload=_upload("work.jpg", draw_work(rng)),
                    alt_text=f"A finished job: {service.title}",
                )
            )
        for photo in photos:
            photo_services.build_variants(photo_id=photo.pk)
        added += len(photos)
    return added


def demo_providers():
    return ServiceProviderProfile.objects.filter(
        user__email__endswith="@example.com"
    ).select_related("user")
