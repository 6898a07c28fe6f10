"""Recount every service's and provider's review figures and report (or fix) drift."""

from django.core.management.base import BaseCommand, CommandError

from reviews import selectors, services


class Command(BaseCommand):
    help = (
        "Recount the review figures of every service and provider (count, average, "
        "sub-rating sums, 1-5 distribution) from the visible reviews and print each row whose "
        "stored figures differ. With --fix, rewrite those rows. Exits with status 1 when "
        "drift is found and not fixed, so a scheduled run can alert."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rewrite drifted rows from the recount."
        )

    def handle(self, *args, fix=False, **options):
        report = selectors.rating_drift()
        for drift in report.drifts:
            self.stdout.write(str(drift))
        if not report.drifts:
            self.stdout.write(
                self.style.SUCCESS(f"No drift: {report.checked} rated rows match a recount.")
            )
            return
        if not fix:
            raise CommandError(
                f"{len(report.drifts)} row(s) drifted from a recount; "
                "run `manage.py recompute_ratings --fix` to rewrite them."
            )
        for drift in report.drifts:
            services.rebuild_figures(kind=drift.kind, pk=drift.pk)
        self.stdout.write(self.style.SUCCESS(f"Fixed {len(report.drifts)} row(s)."))
