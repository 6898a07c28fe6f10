import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from .phone import E164_MAX_LENGTH, validate_e164
from .storage import private_documents


class Role(models.TextChoices):
    CUSTOMER = "CUSTOMER", "Customer"
    PROVIDER = "PROVIDER", "Provider"
    ADMIN = "ADMIN", "Admin"
    SUPERADMIN = "SUPERADMIN", "Superadmin"


SELF_SERVICE_ROLES = (Role.CUSTOMER, Role.PROVIDER)
STAFF_ROLES = (Role.ADMIN, Role.SUPERADMIN)


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        # The whole address is lower-cased: people type their email in any case and
        # expect to be recognised, and no real mailbox provider distinguishes case.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.CUSTOMER)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["role"] = Role.SUPERADMIN
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    phone = models.CharField(
        max_length=E164_MAX_LENGTH,
        blank=True,
        validators=[validate_e164],
        help_text="International format, e.g. +14155550123.",
    )
    role = models.CharField(max_length=16, choices=Role, default=Role.CUSTOMER, db_index=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = UserManager.normalize_email(self.email)
        # Django's own flags follow the role, so admin access can never drift from it.
        self.is_superuser = self.role == Role.SUPERADMIN
        self.is_staff = self.role in STAFF_ROLES
        super().save(*args, **kwargs)

    @property
    def is_customer(self):
        return self.role == Role.CUSTOMER

    @property
    def is_provider(self):
        return self.role == Role.PROVIDER

    @property
    def is_marketplace_staff(self):
        return self.role in STAFF_ROLES


TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class City(models.Model):
    """A city providers serve; search filters and booking addresses refer to it."""

    name = models.CharField(max_length=100)
    state = models.CharField(max_length=100, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"

    def __str__(self):
        return f"{self.name}, {self.state}" if self.state else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"{self.name} {self.state}")
        super().save(*args, **kwargs)


class UserProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    time_zone = models.CharField(
        max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    preferred_language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE[:2]
    )
    # Non-essential emails a user may turn off; booking changes and account emails always go.
    email_reminders = models.BooleanField("Email me a reminder before a booking", default=True)
    email_review_invitations = models.BooleanField(
        "Email me an invitation to review finished jobs", default=True
    )

    def __str__(self):
        return f"Profile of {self.user}"


class VerificationStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    VERIFIED = "VERIFIED", "Verified"
    REJECTED = "REJECTED", "Rejected"


class ServiceProviderProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_profile"
    )
    business_name = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=140, unique=True)
    bio = models.TextField(blank=True, max_length=4000)
    years_of_experience = models.PositiveSmallIntegerField(default=0)
    cities = models.ManyToManyField(City, related_name="providers", blank=True)

    verification_status = models.CharField(
        max_length=16, choices=VerificationStatus, default=VerificationStatus.PENDING, db_index=True
    )
    verification_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verification_decided_at = models.DateTimeField(null=True, blank=True)
    verification_reason = models.TextField(blank=True)

    # Denormalized figures, kept correct by the service layer of reviews and booking.
    rating_average = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    review_count = models.PositiveIntegerField(default=0)
    completed_bookings_count = models.PositiveIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["verification_status", "created_at"])]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("catalog:provider_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self):
        return self.business_name or self.user.get_full_name() or self.user.email

    @property
    def is_verified(self):
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def is_complete(self):
        return bool(self.business_name)


# --- Provider verification -------------------------------------------------------------


class VerificationApplication(models.Model):
    """One submission of a provider for verification, with the decision taken on it.

    A provider has at most one PENDING application; a rejected provider applies again with
    a new one, so the rows are their history.
    """

    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="verification_applications"
    )
    statement = models.TextField(max_length=2000)
    licence_number = models.CharField(max_length=64, blank=True)
    insurance_expires_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(
        max_length=16, choices=VerificationStatus, default=VerificationStatus.PENDING
    )
    # Who decided is part of the record: an admin who decided is deactivated, not deleted.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=models.Q(status=VerificationStatus.PENDING),
                name="verification_one_pending_application",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=VerificationStatus.REJECTED) | ~models.Q(reason=""),
                name="verification_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return f"Application of {self.provider} on {self.submitted_at:%Y-%m-%d}"

    @property
    def is_pending(self):
        return self.status == VerificationStatus.PENDING


class DocumentKind(models.TextChoices):
    IDENTITY = "IDENTITY", "Identity document"
    TRADE = "TRADE", "Trade document"


def verification_document_path(document, filename):
    # The uploaded name is ignored: it is kept in `original_name`, never on disk.
    from .documents import DOCUMENT_TYPES
    from .storage import random_document_name

    extension = next(t.extension for t in DOCUMENT_TYPES if t.content_type == document.content_type)
    return random_document_name(extension)


class VerificationDocument(models.Model):
    """A file sent with an application, stored privately under an unguessable name."""

    application = models.ForeignKey(
        VerificationApplication, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=16, choices=DocumentKind)
    file = models.FileField(
        upload_to=verification_document_path, storage=private_documents, max_length=200
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=32)  # read from the file's content
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self):
        return reverse("accounts:verification_document", kwargs={"pk": self.pk})


class VerificationDecision(models.Model):
    """Every verification decision on a provider, revocations included: the audit trail."""

    provider = models.ForeignKey(
        ServiceProviderProfile, on_delete=models.CASCADE, related_name="verification_decisions"
    )
    application = models.ForeignKey(
        VerificationApplication,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decisions",
        help_text="The application decided, if one was pending.",
    )
    status = models.CharField(max_length=16, choices=VerificationStatus)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.get_status_display()} by {self.decided_by} on {self.decided_at:%Y-%m-%d}"


class ApiSession(models.Model):
    """A session opened by an API login (its tokens' `sid`), indexed by user so that a
    password change or reset can end every one of them; gone with its session (CASCADE)."""

    session = models.OneToOneField(
        "sessions.Session", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"API session of {self.user_id} since {self.created_at:%Y-%m-%d %H:%M}"
