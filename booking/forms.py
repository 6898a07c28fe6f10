import functools
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import zip_longest

from django import forms

from catalog.models import MAX_DURATION_MINUTES, PricingType

from .models import DURATION_STEP_MINUTES, NOTES_MAX_LENGTH, Weekday
from .services import weekly_hours_problems


class BookingDetailsForm(forms.Form):
    """Where the job is and what the provider should know; prefilled from the profile."""

    # autocomplete: browsers and password managers fill a saved address in one tap.
    service_address = forms.CharField(
        label="Street address",
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    service_city = forms.TypedChoiceField(
        label="City", coerce=int, widget=forms.Select(attrs={"autocomplete": "address-level2"})
    )
    service_state = forms.CharField(
        label="State",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    service_postal_code = forms.CharField(
        label="Postal code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )
    estimated_duration_minutes = forms.TypedChoiceField(label="How long?", coerce=int)
    customer_notes = forms.CharField(
        label="Notes for the provider (optional)",
        max_length=NOTES_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Access, parking, what needs doing.",
    )

    fixed_duration = None  # "1 h 30 min" for a fixed-price job, whose length is not asked

    def __init__(self, *args, service, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_city"].choices = [("", "Choose a city")] + [
            (city.pk, str(city)) for city in cities
        ]
        if service.pricing_type == PricingType.HOURLY:
            steps = range(service.duration_minutes, MAX_DURATION_MINUTES + 1, DURATION_STEP_MINUTES)
            self.fields["estimated_duration_minutes"].choices = [
                (minutes, _duration_label(minutes)) for minutes in steps
            ]
            self.fields[
                "estimated_duration_minutes"
            ].help_text = "Hourly price: the total follows the time."
        else:
            # A fixed-price job takes the time it takes: no menu with a single choice, the
            # page says how long it is (`fixed_duration`) and the value travels hidden.
            minutes = service.duration_minutes
            self.fields["estimated_duration_minutes"] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            self.fixed_duration = _duration_label(minutes)
            self.fixed_minutes = minutes

    def clean_estimated_duration_minutes(self):
        # A hidden value cannot be corrected by the person, so it is not read: the
        # service's own length is the booking's.
        if self.fixed_duration:
            return self.fixed_minutes
        return self.cleaned_data["estimated_duration_minutes"]


def _duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def parse_date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def parse_time(value) -> time | None:
    try:
        return datetime.strptime(value or "", "%H:%M").time()
    except ValueError:
        return None


class StatusChangeForm(forms.Form):
    status = forms.CharField(max_length=16)
    notes = forms.CharField(max_length=NOTES_MAX_LENGTH, required=False)


# Time zones shown by region; the old aliases (US/Eastern, Etc/GMT+5...) are left out unless
# a schedule already uses one.
TIME_ZONE_REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@functools.cache
def _zones_by_region() -> tuple:
    regions = {region: [] for region in TIME_ZONE_REGIONS}
    for name in sorted(zoneinfo.available_timezones()):
        region, _, place = name.partition("/")
        if region in regions and place:
            regions[region].append((name, place.replace("_", " ").replace("/", " – ")))
    return tuple((region, tuple(zones)) for region, zones in regions.items())


def time_zone_choices(*, suggested=(), current: str = "") -> list:
    """The time zone select's groups: the zones of the provider's cities first, then every
    zone by region, then UTC (and the current value if it is an old alias)."""
    groups = []
    suggested = sorted(set(suggested))
    if suggested:
        groups.append(("Your cities", [(name, name.replace("_", " ")) for name in suggested]))
    groups.extend((region, list(zones)) for region, zones in _zones_by_region())
    other = [("UTC", "UTC")]
    known = {name for _, zones in groups for name, _ in zones} | {"UTC"}
    if current and current not in known:
        other.append((current, current))
    groups.append(("Other", other))
    return groups


class ScheduleSettingsForm(forms.Form):
    # The service validates the name; the select only offers the valid ones.
    time_zone = forms.ChoiceField(
        label="Time zone", help_text="Your working hours and days off are read in this zone."
    )
    buffer_minutes = forms.IntegerField(
        label="Break between jobs (minutes)", min_value=0, max_value=240
    )
    min_notice_hours = forms.IntegerField(
        label="Minimum notice (hours)", min_value=0, max_value=720
    )
    max_advance_days = forms.IntegerField(
        label="Book up to (days ahead)", min_value=1, max_value=365
    )
    cancellation_free_hours = forms.IntegerField(
        label="Free cancellation until (hours before)", min_value=0, max_value=720
    )
    pending_expiry_hours = forms.IntegerField(
        label="Requests expire after (hours without an answer)", min_value=1, max_value=720
    )

    def __init__(self, *args, city_zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("time_zone") or ""
        self.fields["time_zone"].choices = time_zone_choices(suggested=city_zones, current=current)


# Rows a day shows beyond its intervals without JavaScript (at least MIN_ROWS in all), so a
# provider can add hours without a round trip; "Add an interval" adds one more.
MIN_ROWS = 2


@dataclass
class HoursRow:
    start: str = ""
    end: str = ""
    error: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.start and not self.end


@dataclass
class HoursDay:
    weekday: int
    label: str
    rows: list
    extra: int = 0  # empty rows asked for beyond the usual ones ("Add an interval")

    @property
    def field_id(self) -> str:
        return f"hours-{self.weekday}"


def _clock(value: str) -> time | None:
    """A time input's value: 09:30, or 09:30:00 from a browser asked for seconds."""
    return parse_time(value[:5]) if len(value) in (5, 8) else None


class WeeklyHoursForm:
    """The weekly hours as rows of two time inputs per day, not a Django form: a day has as
    many rows as it needs. Rows and buttons are named `hours-<day>-start`/`-end` (repeated)
    and `action` (save, add-<day>, remove-<day>-<row>, copy-monday), so the page works as a
    plain form; HTMX swaps the form with the same answer."""

    prefix = "hours"

    def __init__(self, data=None, *, intervals=()):
        self.is_bound = data is not None
        self.action = (data.get("action") or "save") if self.is_bound else ""
        self.message = ""
        if self.is_bound:
            days = {day: self._posted_rows(data, day) for day in Weekday.values}
        else:
            days = {day: [] for day in Weekday.values}
            for weekday, start_time, end_time in intervals:
                days[weekday].append(HoursRow(f"{start_time:%H:%M}", f"{end_time:%H:%M}"))
        self.days = [HoursDay(day, Weekday(day).label, rows) for day, rows in days.items()]
        self.intervals = []

    def _posted_rows(self, data, day: int) -> list:
        starts = data.getlist(f"{self.prefix}-{day}-start")
        ends = data.getlist(f"{self.prefix}-{day}-end")
        rows = [
            HoursRow(start.strip()[:8], end.strip()[:8])
            for start, end in zip_longest(starts[:24], ends[:24], fillvalue="")
        ]
        return [row for row in rows if not row.is_empty]

    @property
    def wants_save(self) -> bool:
        return self.action == "save"

    def apply_action(self) -> None:
        """Add or remove a row or copy Monday, as asked; nothing is saved."""
        action = self.action
        by_day = {day.weekday: day for day in self.days}
        if action == "copy-monday":
            monday = by_day[Weekday.MONDAY].rows
            for weekday in (Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY):
                by_day[weekday].rows = [HoursRow(row.start, row.end) for row in monday]
            self.message = "Monday's hours are copied to Tuesday to Friday. Save to keep them."
        elif action.startswith("add-") and action[4:].isdigit():
            day = by_day.get(int(action[4:]))
            if day is not None:
                day.extra = 1
        elif action.startswith("remove-"):
            weekday, _, index = action[7:].partition("-")
            day = by_day.get(int(weekday)) if weekday.isdigit() else None
            if day is not None and index.isdigit() and int(index) < len(day.rows):
                del day.rows[int(index)]

    def shown_days(self) -> list:
        """The days as the page shows them: their intervals, then empty rows to fill in (one
        at least, MIN_ROWS in all at least, one more after "Add an interval")."""
        for day in self.days:
            filled = [row for row in day.rows if not row.is_empty]
            empty = max(MIN_ROWS - len(filled), 1) + day.extra
            day.rows = filled + [HoursRow() for _ in range(empty)]
        return self.days

    def is_valid(self) -> bool:
        """Every filled row is a pair of times and the rows break no rule of the service's
        (booking.services.weekly_hours_problems); each problem is kept on its row."""
        intervals, places = [], []
        for day in self.days:
            for row in day.rows:
                if row.is_empty:
                    continue
                start, end = _clock(row.start), _clock(row.end)
                if start is None or end is None:
                    row.error = "Give both a start and an end time, like 09:00 and 17:00."
                    continue
                intervals.append((day.weekday, start, end))
                places.append(row)
        for position, message in weekly_hours_problems(intervals):
            places[position].error = message
        self.intervals = intervals
        return not self.has_errors

    @property
    def has_errors(self) -> bool:
        return any(row.error for day in self.days for row in day.rows)

    def add_domain_error(self, error) -> None:
        self.message = error.message


class TimeOffForm(forms.Form):
    start_date = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(
        label="To (included)", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="Reason (optional)", max_length=200, required=False)
