import factory
from allauth.account.models import EmailAddress

from accounts import services
from accounts.models import SELF_SERVICE_ROLES, City, Role, User, VerificationStatus

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
