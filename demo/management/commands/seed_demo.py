import logging
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import ServiceProviderProfile, User
from booking.models import Booking
from catalog.models import Service
from demo.scale import seed_scale
from demo.seed import DEMO_LOGINS, DEMO_PASSWORD, seed


@contextmanager
def warnings_only():
    """Drop INFO and DEBUG records from every logger (Huey's, with its own handler, too)."""
    previous = logging.root.manager.disable
    logging.disable(max(logging.INFO, previous))
    try:
        yield
    finally:
        logging.disable(previous)


class Command(BaseCommand):
    help = (
        "Load believable demo data (categories, providers, services, demo logins). Idempotent. "
        "Prints a one-line summary; -v2 also shows the log of every booking and email."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also bulk-load benchmark listings until N of them exist (e.g. 1000000).",
        )
        parser.add_argument(
            "--logins",
            action="store_true",
            help="Load nothing: print where emails go and the demo logins (`make run` ends with it).",
        )

    def handle(self, *args, if_empty=False, scale=0, logins=False, verbosity=1, **options):
        if logins:
            self.print_logins()
            return
        if if_empty and User.objects.exists():
            self.summary("Database already has data; demo data not loaded.", verbosity)
        else:
            # Seeding logs every booking transition and every email it sends: hundreds of
            # lines that would bury what matters. Warnings and errors still show.
            with warnings_only() if verbosity < 2 else nullcontext():
                seed()
            self.summary(
                self.style.SUCCESS(
                    "Demo data loaded: "
                    f"{ServiceProviderProfile.objects.count()} providers, "
                    f"{Service.objects.count()} services, "
                    f"{Booking.objects.count()} bookings, "
                    f"{len(DEMO_LOGINS)} demo logins."
                ),
                verbosity,
            )
        if scale:
            added = seed_scale(scale, stdout=self.stdout)
            self.summary(self.style.SUCCESS(f"Scale listings: {added:,} added."), verbosity)

    def summary(self, line, verbosity):
        if verbosity > 0:
            self.stdout.write(line)

    def print_logins(self):
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(
                f"Emails: {settings.EMAIL_FILE_PATH}/ (not sent: each one is a file there)"
            )
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, role, _first, _last in DEMO_LOGINS:
            self.stdout.write(f"  {role.label:<11} {email}")
