"""The demo's pending providers apply for verification like real ones: through
accounts.services.submit_verification_application, with sample documents made here at seed
time (a PNG identity card, a PDF trade licence) that pass the checks of accounts/documents.py.
"""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts import services as account_services
from accounts.models import ServiceProviderProfile

SAMPLE_NOTICE = "SAMPLE - demo data, not a real document"


def seed_application(profile: ServiceProviderProfile, rng: random.Random):
    """A pending application with an identity and a trade document, unless the provider has
    ever applied (a re-run, or a demo admin decided on it meanwhile); the new one or None."""
    if profile.verification_applications.exists():
        return None
    name = profile.user.get_full_name()
    licence = f"DEMO-{rng.randint(10000, 99999)}"
    return account_services.submit_verification_application(
        user=profile.user,
        statement=(
            f"{profile.business_name}: {profile.years_of_experience} years in the trade. "
            "My ID and trade licence are attached."
        ),
        licence_number=licence,
        insurance_expires_on=timezone.localdate() + timedelta(days=rng.randint(90, 400)),
        identity_documents=[
            SimpleUploadedFile("identity-card.png", sample_identity_png(name), "image/png")
        ],
        trade_documents=[
            SimpleUploadedFile(
                "trade-licence.pdf",
                sample_pdf(["Trade licence", profile.business_name, licence, SAMPLE_NOTICE]),
                "application/pdf",
            )
        ],
    )


def sample_identity_png(name: str) -> bytes:
    """A small identity card: a PNG Pillow reads back."""
    image = Image.new("RGB", (320, 200), (236, 240, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 307, 187), outline=(60, 80, 110), width=2)
    draw.rectangle((28, 50, 108, 150), fill=(180, 190, 205))  # the photo
    for row, text in enumerate(("IDENTITY CARD", name, "SAMPLE", "demo data only")):
        draw.text((124, 50 + row * 24), text, fill=(30, 40, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def sample_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing `lines`, with a correct cross-reference table."""

    def escaped(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "".join(f"({escaped(line)}) Tj T* " for line in lines)
    stream = f"BT /F1 14 Tf 20 TL 72 760 Td {text}ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
