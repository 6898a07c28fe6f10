from django.core.management.base import BaseCommand

from accounts.models import User
from demo.scale import seed_scale
from demo.seed import DEMO_LOGINS, DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Load believable demo data (categories, providers, services, demo logins). Idempotent."

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

    def handle(self, *args, if_empty=False, scale=0, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Database already has data; demo data not loaded.")
        else:
            seed()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if scale:
            added = seed_scale(scale, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"Scale listings: {added:,} added."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, role, _first, _last in DEMO_LOGINS:
            self.stdout.write(f"  {role.label:<11} {email}")
