"""Uploaded images, domain-free: judge an upload by its content, clean it, and resize it.

Any app that takes pictures (service photos, message attachments, quote-request photos)
uses the same three steps:

1. `inspect_image(upload)` (or `inspect_images(uploads)` for one field's files): the type
   from the first bytes, Pillow must open and decode it, the file within
   IMAGE_MAX_BYTES and IMAGE_MAX_PIXELS (a decompression bomb, a small file that declares
   a huge picture, is refused from its header before any pixel is decoded). A
   ValidationError names the file. Forms call it to show every error at once; services
   call it again so that no caller stores what it refuses.
2. `clean_image(upload)`: the picture re-encoded in its own format with the EXIF
   orientation applied and no metadata (no GPS position, camera serial or text chunks),
   as a ContentFile ready for `storage.save`. Keep that as the (private) original.
3. `build_variants(storage, name, ...)`: from a stored original, the resized copies (a few
   widths, WebP and JPEG) written through Django's storage API into another storage,
   usually `storages["default"]` (public media), so object storage can replace the disk
   without code changes. Pages show them with `srcset_for(variants, format)`.

Settings (read at call time, so a test's `settings` fixture takes effect):
IMAGE_MAX_BYTES (10 MB), IMAGE_MAX_PIXELS (40 megapixels), IMAGE_MIN_SIDE (64 px).
"""

import io
import math
import struct
import warnings
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from core.app_settings import prefixed_settings

DEFAULTS = {
    "MAX_BYTES": 10 * 1024 * 1024,
    # 40 MP is more than any phone camera writes (a 48 MP sensor saves 12 MP by default);
    # a 10 MB PNG declaring 20,000 x 20,000 would take 1.6 GB to decode.
    "MAX_PIXELS": 40_000_000,
    "MIN_SIDE": 64,
}
# _setting("MAX_BYTES") is settings.IMAGE_MAX_BYTES when set, else the default.
_setting = prefixed_settings(__name__, "IMAGE", DEFAULTS)

# The widths pages ask for: a phone card (~1x and 2x of 160-320 px), a desktop gallery.
VARIANT_WIDTHS = (320, 640, 1280)
VARIANT_FORMATS = ("webp", "jpeg")


@dataclass(frozen=True)
class ImageType:
    content_type: str
    label: str
    extension: str  # given to a stored copy
    other_extensions: tuple[str, ...]
    pillow_format: str

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.other_extensions)


JPEG = ImageType("image/jpeg", "JPEG image", ".jpg", (".jpeg",), "JPEG")
PNG = ImageType("image/png", "PNG image", ".png", (), "PNG")
WEBP = ImageType("image/webp", "WebP image", ".webp", (), "WEBP")
IMAGE_TYPES = (JPEG, PNG, WEBP)
ACCEPTED_EXTENSIONS = [ext for image_type in IMAGE_TYPES for ext in image_type.extensions]
# For <input accept>: a hint to the browser only; the bytes decide.
ACCEPT_ATTRIBUTE = ",".join(t.content_type for t in IMAGE_TYPES)


@dataclass(frozen=True)
class InspectedImage:
    """What an upload turned out to be."""

    name: str
    type: ImageType
    width: int
    height: int


@dataclass(frozen=True)
class Variant:
    """One resized copy as stored: its storage name, pixel size and format ("webp"/"jpeg")."""

    name: str
    width: int
    height: int
    format: str

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "format": self.format,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Variant":
        return cls(data["name"], int(data["width"]), int(data["height"]), data["format"])


def megabytes(size: int) -> str:
    """`size` in MB with one decimal, rounded up: a file just over a limit never reads as equal."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths / 10:.1f}".removesuffix(".0") + " MB"


def _type_from_bytes(head: bytes) -> ImageType | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def inspect_image(upload, *, max_bytes: int | None = None) -> InspectedImage:
    """What an uploaded image is, read from its bytes; a ValidationError naming the file.

    Refused: empty files, files over `max_bytes` (IMAGE_MAX_BYTES), anything that is not a
    JPEG, PNG or WebP by its first bytes, pictures over IMAGE_MAX_PIXELS or under
    IMAGE_MIN_SIDE, and files Pillow cannot decode. The upload is left at position 0.
    """
    name = PurePath(upload.name or "image").name
    limit = max_bytes if max_bytes is not None else _setting("MAX_BYTES")
    size = upload.size
    if not size:
        raise ValidationError(f"{name} is empty.", code="empty")
    if size > limit:
        raise ValidationError(
            f"{name} is {megabytes(size)}; each photo can be at most {megabytes(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = _type_from_bytes(head)
    if found is None:
        raise ValidationError(f"{name} is not a JPEG, PNG or WebP image.", code="unsupported")
    width, height = _decode(upload, found, name)
    return InspectedImage(name=name, type=found, width=width, height=height)


def _decode(upload, expected: ImageType, name: str) -> tuple[int, int]:
    """Open the header, refuse by pixel count before decoding, then decode every pixel."""
    max_pixels = _setting("MAX_PIXELS")
    min_side = _setting("MIN_SIDE")
    unreadable = ValidationError(
        f"{name} looks like a {expected.label} but cannot be read.", code="unreadable"
    )
    try:
        with warnings.catch_warnings():
            # Pillow warns (then raises) past its own bomb limit; ours is lower and exact.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != expected.pillow_format:
                    raise unreadable
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        f"{name} is {width} x {height} pixels; a photo can have at most "
                        f"{max_pixels // 1_000_000} megapixels.",
                        code="too_many_pixels",
                    )
                if min(width, height) < min_side:
                    raise ValidationError(
                        f"{name} is {width} x {height} pixels; a photo needs at least "
                        f"{min_side} pixels on each side.",
                        code="too_small",
                    )
                image.load()  # truncated or corrupt data fails here, not later in a job
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses past its own limit while reading the header: far over ours.
        raise ValidationError(
            f"{name} has more than {max_pixels // 1_000_000} megapixels; a photo can have "
            f"at most {max_pixels // 1_000_000}.",
            code="too_many_pixels",
        ) from None
    except (OSError, SyntaxError, ValueError, struct.error):
        raise unreadable from None
    finally:
        upload.seek(0)
    return width, height


def inspect_images(uploads, *, max_count: int | None = None) -> list[InspectedImage]:
    """One field's images inspected, or a ValidationError with every problem found."""
    uploads = list(uploads)
    if max_count is not None and len(uploads) > max_count:
        raise ValidationError(f"Send at most {max_count} photos.", code="too_many")
    found, errors = [], []
    for upload in uploads:
        try:
            found.append(inspect_image(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return found


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says, so dropping EXIF keeps it upright."""
    return ImageOps.exif_transpose(image)


def clean_image(upload) -> ContentFile:
    """The upload re-encoded without metadata (EXIF, XMP, text), upright, same format.

    Call it after `inspect_image`; the result is named `<anything><extension>` so a storage
    keeps the type. Only the pixels (and the colour profile, which says how to show them)
    survive.
    """
    inspected = inspect_image(upload)
    upload.seek(0)
    with Image.open(upload) as opened:
        icc = opened.info.get("icc_profile")
        image = _upright(opened)
        image.load()
    buffer = io.BytesIO()
    options = {"icc_profile": icc} if icc else {}
    kind = inspected.type
    if kind is JPEG:
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(buffer, "JPEG", quality=92, optimize=True, **options)
    elif kind is PNG:
        image.save(buffer, "PNG", optimize=True, **options)
    else:
        image.save(buffer, "WEBP", quality=90, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=f"original{kind.extension}")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency over white, palettes and greys expanded."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def build_variants(
    source_storage,
    source_name: str,
    *,
    storage,
    prefix: str,
    widths: tuple[int, ...] = VARIANT_WIDTHS,
    formats: tuple[str, ...] = VARIANT_FORMATS,
) -> list[Variant]:
    """Resized copies of a stored image, written to `storage` under `prefix`, narrowest first.

    A width wider than the original is left out (never upscaled); an original narrower
    than every width gets one copy at its own width. Each copy is stripped of metadata.
    Returns what was stored; the caller records it (and deletes the old copies it replaces).
    """
    with source_storage.open(source_name, "rb") as source, Image.open(source) as opened:
        image = _upright(opened)
        image.load()
    usable = sorted({w for w in widths if w <= image.width}) or [image.width]
    stored = []
    base = PurePosixPath(prefix)
    for width in usable:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for fmt in formats:
            buffer = io.BytesIO()
            if fmt == "jpeg":
                _flatten(resized).save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
                extension = ".jpg"
            elif fmt == "webp":
                out = resized if resized.mode in ("RGB", "RGBA") else resized.convert("RGBA")
                out.save(buffer, "WEBP", quality=80, method=4)
                extension = ".webp"
            else:
                raise ValueError(f"Unknown variant format {fmt!r}")
            name = storage.save(str(base / f"{width}w{extension}"), ContentFile(buffer.getvalue()))
            stored.append(Variant(name=name, width=width, height=height, format=fmt))
    return stored


def delete_variants(storage, variants) -> None:
    """Delete stored copies; a copy already gone is not an error."""
    for variant in variants:
        name = variant.name if isinstance(variant, Variant) else variant["name"]
        storage.delete(name)


def srcset_for(storage, variants, fmt: str) -> str:
    """The `srcset` value for one format: "url 320w, url 640w"."""
    return ", ".join(
        f"{storage.url(v.name)} {v.width}w"
        for v in sorted(variants, key=lambda v: v.width)
        if v.format == fmt
    )
