"""The provider's insights page and its CSV export: thin, over insights.selectors."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import provider_required

from . import selectors
from .charts import charts_for


def _period(request) -> str:
    asked = request.GET.get("period", "")
    return asked if asked in selectors.PERIODS else selectors.DEFAULT_PERIOD


@provider_required
@require_GET
@vary_on_headers("HX-Request")
def insights_page(request):
    provider = request.user.provider_profile
    insights = selectors.insights_for(provider, _period(request))
    context = {
        "insights": insights,
        "charts": charts_for(insights),
        "periods": list(selectors.PERIODS),
        "comparisons": _comparisons(insights),
    }
    template = "insights/insights.html"
    if request.htmx and not request.htmx.boosted:
        template += "#figures"
    return render(request, template, context)


def _comparisons(insights) -> list:
    """(label, this period, the one before) as the page shows them."""
    current, previous = insights.current, insights.previous

    def percent(value):
        return "—" if value is None else f"{value:.0%}"

    def minutes(seconds):
        if seconds is None:
            return "—"
        minutes = round(seconds / 60)
        return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"

    def rating(value):
        return "—" if value is None else f"{value:.2f}"

    def money(earnings):
        return ", ".join(f"{amount:.2f} {code}" for code, amount in sorted(earnings.items())) or "0"

    def cancelled(figures):
        return (
            f"{figures.cancelled} (customer {figures.cancelled_by_customer}, you "
            f"{figures.cancelled_by_provider}, marketplace {figures.cancelled_by_marketplace})"
        )

    return [
        ("Views of your service pages", current.views, previous.views),
        ("Booking requests", current.requests, previous.requests),
        ("Acceptance rate", percent(current.acceptance_rate), percent(previous.acceptance_rate)),
        (
            "Median time to answer",
            minutes(current.median_answer_seconds),
            minutes(previous.median_answer_seconds),
        ),
        ("Confirmed", current.confirmed, previous.confirmed),
        ("Completed", current.completed, previous.completed),
        ("Cancelled", cancelled(current), cancelled(previous)),
        ("Expired", current.expired, previous.expired),
        ("Earnings", money(current.earnings), money(previous.earnings)),
        (
            f"Average rating ({current.review_count} reviews)",
            rating(current.average_rating),
            rating(previous.average_rating),
        ),
        ("Repeat customers", current.repeat_customers, previous.repeat_customers),
    ]


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value: str) -> str:
    # A cell a spreadsheet would run as a formula is written as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@provider_required
@require_GET
def export_csv(request):
    provider = request.user.provider_profile
    period, header, rows = selectors.export_rows(provider, _period(request))
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe_cell(str(cell)) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"bookings-{period.first}-{period.last}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
