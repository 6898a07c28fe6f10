"""Recount every provider's insights rollups from the bookings and reviews; report (or fix)
drift, like recompute_ratings."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ServiceProviderProfile
from insights import selectors, services


class Command(BaseCommand):
    help = (
        "Recount each provider's daily insights figures (requests, answers and their waits, "
        "confirmed, declined, expired, cancelled by whom, completed, earnings, reviews) from "
        "the bookings and reviews, and print every day row whose stored figures differ. With "
        "--fix, roll those providers up again. Views are not recounted: the flushed counters "
        "are their record. Exits with status 1 when drift is found and not fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Roll up drifted providers again.")

    def handle(self, *args, fix=False, **options):
        report = selectors.rollup_drift()
        for drift in report.drifts:
            self.stdout.write(str(drift))
        if not report.drifts:
            self.stdout.write(
                self.style.SUCCESS(f"No drift: {report.checked} day rows match a recount.")
            )
            return
        if not fix:
            raise CommandError(
                f"{len(report.drifts)} row(s) drifted from a recount; "
                "run `manage.py recompute_insights --fix` to rewrite them."
            )
        for provider in ServiceProviderProfile.objects.filter(pk__in=report.providers):
            services.roll_up_history(provider=provider)
        self.stdout.write(
            self.style.SUCCESS(
                f"Fixed {len(report.drifts)} row(s) of {len(report.providers)} provider(s)."
            )
        )
