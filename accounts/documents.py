"""What a verification application may hold: PDF, JPEG or PNG documents judged by their
content, within a size and a count, and insurance that has not expired.

The form uses these checks to show every error at once; the service runs them again, so no
caller can store what they refuse.
"""

import math
import struct
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

MAX_DOCUMENTS_PER_KIND = 5


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    label: str
    extension: str  # given to the stored file and expected at the end of the uploaded name
    other_extensions: tuple[str, ...] = ()
    image_format: str = ""  # Pillow's name for it; empty for PDF

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.other_extensions)


PDF = DocumentType("application/pdf", "PDF", ".pdf")
JPEG = DocumentType("image/jpeg", "JPEG image", ".jpg", (".jpeg",), image_format="JPEG")
PNG = DocumentType("image/png", "PNG image", ".png", image_format="PNG")
DOCUMENT_TYPES = (PDF, JPEG, PNG)
ACCEPTED_EXTENSIONS = [ext for doc_type in DOCUMENT_TYPES for ext in doc_type.extensions]

# The first bytes of each type; the name and the browser's content type are not trusted.
_SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


def megabytes(size: int) -> str:
    """`size` in MB with one decimal, rounded up: a file just over a limit never reads as equal."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths / 10:.1f}".removesuffix(".0") + " MB"


def inspect_document(upload) -> DocumentType:
    """The type of an uploaded document, read from its bytes; ValidationError naming the file.

    Refused: empty files, files over VERIFICATION_DOCUMENT_MAX_BYTES, anything that is not
    a PDF, JPEG or PNG, images Pillow cannot read, and files whose name claims another type.
    """
    name = upload.name
    limit = settings.VERIFICATION_DOCUMENT_MAX_BYTES
    if not upload.size:
        raise ValidationError(f"{name} is empty.", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"{name} is {megabytes(upload.size)}; each document can be at most {megabytes(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = next((doc_type for sig, doc_type in _SIGNATURES if head.startswith(sig)), None)
    if found is None:
        raise ValidationError(f"{name} is not a PDF, JPEG or PNG file.", code="unsupported")
    if found.image_format:
        _check_image(upload, found)
    if PurePath(name).suffix.lower() not in found.extensions:
        raise ValidationError(
            f"{name} is really a {found.label}, not what its name says. "
            f"Rename it to end in {found.extension} and send it again.",
            code="misnamed",
        )
    return found


def _check_image(upload, expected: DocumentType) -> None:
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()  # structure and checksums, without decoding every pixel
    except (OSError, SyntaxError, ValueError, struct.error, Image.DecompressionBombError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format != expected.image_format:
        raise ValidationError(
            f"{upload.name} looks like a {expected.label} but cannot be read.", code="unreadable"
        )


def inspect_documents(uploads) -> list[DocumentType]:
    """The types of one field's documents, or a ValidationError with every problem found."""
    if len(uploads) > MAX_DOCUMENTS_PER_KIND:
        raise ValidationError(f"Send at most {MAX_DOCUMENTS_PER_KIND} files.", code="too_many")
    found, errors = [], []
    for upload in uploads:
        try:
            found.append(inspect_document(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return found


def validate_insurance_expiry(expires_on) -> None:
    if expires_on and expires_on < timezone.localdate():
        raise ValidationError("Your insurance has expired: renew it before applying.")
