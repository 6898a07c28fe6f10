"""core.images: what an upload is judged to be, what cleaning removes, what resizing stores."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images


def picture(fmt="JPEG", size=(800, 600), colour=(200, 80, 40), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 16.0, 2.0)  # a home in Austin
    return exif.tobytes()


def png_bomb(width=20_000, height=20_000) -> bytes:
    """A valid PNG header declaring a huge picture, with a few bytes of compressed zeros."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1) * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("fmt", "name", "expected"),
    [("JPEG", "a.jpg", images.JPEG), ("PNG", "a.png", images.PNG), ("WEBP", "a.webp", images.WEBP)],
)
def test_an_image_is_known_by_its_bytes(fmt, name, expected):
    found = images.inspect_image(upload(picture(fmt), name))
    assert (found.type, found.width, found.height, found.name) == (expected, 800, 600, name)


def test_a_file_that_is_not_an_image_is_refused_by_name():
    with pytest.raises(ValidationError) as exc:
        images.inspect_image(upload(b"%PDF-1.7 not a photo", "kitchen.jpg"))
    assert exc.value.messages == ["kitchen.jpg is not a JPEG, PNG or WebP image."]


def test_a_script_named_as_a_photo_is_refused():
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP"):
        images.inspect_image(upload(b"<svg onload=alert(1)>", "photo.png"))


def test_a_truncated_image_cannot_be_read():
    data = picture("JPEG", size=(800, 600))
    with pytest.raises(ValidationError) as exc:
        images.inspect_image(upload(data[: len(data) // 3], "broken.jpg"))
    assert exc.value.messages == ["broken.jpg looks like a JPEG image but cannot be read."]


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = png_bomb()
    assert len(bomb) < 10_000  # tiny on disk, 400 megapixels once decoded
    with pytest.raises(ValidationError) as exc:
        images.inspect_image(upload(bomb, "bomb.png"))
    assert exc.value.code == "too_many_pixels"
    assert exc.value.messages == [
        "bomb.png has more than 40 megapixels; a photo can have at most 40."
    ]


def test_a_picture_over_the_pixel_limit_is_refused_with_its_size():
    with pytest.raises(ValidationError) as exc:
        images.inspect_image(upload(png_bomb(9_000, 5_000), "wide.png"))
    assert exc.value.messages == [
        "wide.png is 9000 x 5000 pixels; a photo can have at most 40 megapixels."
    ]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 100_000
    big = picture("PNG", size=(1200, 1200), colour=(1, 2, 3), compress_level=0)
    with pytest.raises(ValidationError) as exc:
        images.inspect_image(upload(big, "big.png"))
    assert exc.value.messages[0].startswith("big.png is ")
    assert exc.value.messages[0].endswith("each photo can be at most 0.1 MB.")


def test_a_tiny_picture_is_refused():
    with pytest.raises(ValidationError, match="at least 64 pixels"):
        images.inspect_image(upload(picture("PNG", size=(20, 20)), "icon.png"))


def test_every_problem_of_a_field_is_reported_at_once():
    with pytest.raises(ValidationError) as exc:
        images.inspect_images([upload(b"nope", "a.jpg"), upload(b"", "b.jpg")])
    assert exc.value.messages == ["a.jpg is not a JPEG, PNG or WebP image.", "b.jpg is empty."]


def test_too_many_files_are_refused():
    with pytest.raises(ValidationError, match="at most 2 photos"):
        images.inspect_images([upload(picture())] * 3, max_count=2)


def test_cleaning_removes_exif_with_the_gps_position():
    with_gps = picture("JPEG", exif=gps_exif())
    assert b"PhoneMaker" in with_gps
    cleaned = images.clean_image(upload(with_gps))
    data = cleaned.read()
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (800, 600)


def test_cleaning_turns_the_picture_upright_as_its_exif_said():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise
    cleaned = images.clean_image(upload(picture("JPEG", size=(800, 600), exif=exif.tobytes())))
    with Image.open(cleaned) as image:
        assert image.size == (600, 800)
        assert not image.getexif()


def test_cleaning_drops_png_text_chunks():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "GPS 30.2672 -97.7431")
    cleaned = images.clean_image(upload(picture("PNG", pnginfo=info), "a.png"))
    assert b"GPS 30.2672" not in cleaned.read()
    assert cleaned.name.endswith(".png")


def test_variants_are_written_in_each_width_and_format_never_upscaled(tmp_path):
    source = FileSystemStorage(location=tmp_path / "private")
    public = FileSystemStorage(location=tmp_path / "public", base_url="/media/")
    name = source.save("original.jpg", images.clean_image(upload(picture(size=(1000, 500)))))

    variants = images.build_variants(source, name, storage=public, prefix="photos/1")

    assert [(v.width, v.height, v.format) for v in variants] == [
        (320, 160, "webp"),
        (320, 160, "jpeg"),
        (640, 320, "webp"),
        (640, 320, "jpeg"),
    ]
    for variant in variants:
        with public.open(variant.name) as stored, Image.open(stored) as image:
            assert image.size == (variant.width, variant.height)
            assert image.format == variant.format.upper()
    assert images.srcset_for(public, variants, "webp") == (
        f"/media/{variants[0].name} 320w, /media/{variants[2].name} 640w"
    )


def test_a_small_original_gets_one_copy_at_its_own_width(tmp_path):
    source = FileSystemStorage(location=tmp_path / "private")
    public = FileSystemStorage(location=tmp_path / "public")
    name = source.save(
        "o.png", images.clean_image(upload(picture("PNG", size=(200, 100)), "o.png"))
    )
    variants = images.build_variants(source, name, storage=public, prefix="p", formats=("jpeg",))
    assert [(v.width, v.height) for v in variants] == [(200, 100)]
    images.delete_variants(public, variants)
    assert not public.exists(variants[0].name)
