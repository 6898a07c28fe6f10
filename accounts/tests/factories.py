import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import services
from accounts.models import (
    SELF_SERVICE_ROLES,
    City,
    Role,
    User,
    VerificationApplication,
    VerificationStatus,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """Users made through the service layer, with a verified email unless told otherwise."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CUSTOMER

    @classmethod
    def _create(cls, model_class, *, email, role, email_verified=True, verification=None, **fields):
        if role in SELF_SERVICE_ROLES:
            user = services.register_user(email=email, password=PASSWORD, role=role, **fields)
        else:
            user = User.objects.create_user(email, PASSWORD, **fields)
            services.change_role(user=user, role=role)
        if email_verified:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        if verification and role == Role.PROVIDER:
            profile = user.provider_profile
            profile.verification_status = verification
            profile.business_name = profile.business_name or f"{user.last_name} Services"
            profile.save()
        return user


class CustomerFactory(UserFactory):
    role = Role.CUSTOMER


class ProviderFactory(UserFactory):
    role = Role.PROVIDER
    verification = VerificationStatus.VERIFIED


class AdminFactory(UserFactory):
    role = Role.ADMIN


class SuperadminFactory(UserFactory):
    role = Role.SUPERADMIN


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Town {n}")
    state = "TX"
    slug = factory.LazyAttribute(lambda city: f"{city.name}-{city.state}".lower().replace(" ", "-"))
    time_zone = "America/Chicago"


# --- Verification documents and applications ---------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(image_format="PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format=image_format)
    return buffer.getvalue()


def pdf_upload(name="licence.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_upload(name="passport.png", content=None):
    return SimpleUploadedFile(name, content or image_bytes("PNG"), content_type="image/png")


def jpeg_upload(name="passport.jpg"):
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def apply_for_verification(provider_user, **fields) -> VerificationApplication:
    """A pending application of `provider_user` through the service, with a document of each kind."""
    fields = {
        "statement": "Licensed plumber, ten years of work.",
        "identity_documents": [png_upload()],
        "trade_documents": [pdf_upload()],
    } | fields
    return services.submit_verification_application(user=provider_user, **fields)
