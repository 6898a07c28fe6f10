from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils import timezone

from .models import (
    FREE_DAYS_AHEAD,
    MAX_DURATION_MINUTES,
    SERVICE_FIELDS,
    PricingType,
    Service,
    ServiceCategory,
)
from .search_text import MAX_QUERY_LENGTH
from .selectors import MAX_PAGE, SearchFilters, Sort, category_tree, city_choices

MAX_PRICE = Decimal("1000000")


THIS_WEEK = "week"


def availability_choices(today: date) -> list[tuple[str, str]]:
    """ "Any time", the next 7 days, then each day search can filter on, by name."""
    choices = [("", "Any time"), (THIS_WEEK, "This week (next 7 days)")]
    for offset in range(FREE_DAYS_AHEAD):
        day = today + timedelta(days=offset)
        name = {0: "Today", 1: "Tomorrow"}.get(offset, f"{day:%A} {day.day} {day:%B}")
        choices.append((day.isoformat(), name))
    return choices


def free_days_wanted(available: str, today: date) -> dict:
    """SearchFilters' free_from/free_until for a valid `available` choice."""
    if not available:
        return {}
    if available == THIS_WEEK:
        return {"free_from": today, "free_until": today + timedelta(days=6)}
    day = date.fromisoformat(available)
    return {"free_from": day, "free_until": day}


class SearchForm(forms.Form):
    """The search and browse filters, read from the query string."""

    q = forms.CharField(
        label="What do you need?",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "e.g. leak repair, deep clean"}),
    )
    category = forms.ChoiceField(label="Category", required=False)
    city = forms.ChoiceField(label="City", required=False)
    min_price = forms.DecimalField(
        label="Min price", required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2
    )
    max_price = forms.DecimalField(
        label="Max price", required=False, min_value=0, max_value=MAX_PRICE, decimal_places=2
    )
    min_rating = forms.TypedChoiceField(
        label="Rating",
        required=False,
        coerce=Decimal,
        empty_value=None,
        choices=[("", "Any rating"), ("4.5", "4.5 and up"), ("4", "4 and up"), ("3", "3 and up")],
    )
    pricing_type = forms.ChoiceField(
        label="Pricing", required=False, choices=[("", "Any pricing"), *PricingType.choices]
    )
    available = forms.ChoiceField(
        label="Available",
        required=False,
        error_messages={
            "invalid_choice": f"Choose “week” or a date in the next {FREE_DAYS_AHEAD} days "
            "(YYYY-MM-DD)."
        },
    )
    sort = forms.ChoiceField(label="Sort by", required=False, choices=Sort.CHOICES)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, fixed_category=None, **kwargs):
        super().__init__(*args, **kwargs)
        tree = category_tree()
        self.tree = tree
        self.fields["category"].choices = [("", "All categories")] + [
            (node.slug, "\u00a0\u00a0" * node.depth + node.name) for node in tree.flat()
        ]
        self.fields["city"].choices = [("", "Any city"), *city_choices()]
        self.today = timezone.localdate()
        self.fields["available"].choices = availability_choices(self.today)
        self.fixed_category = fixed_category
        if fixed_category is not None:
            del self.fields["category"]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", "The maximum price must be at least the minimum price.")
        if data.get("page") and data["page"] > MAX_PAGE:
            self.add_error(
                "page", f"Only the first {MAX_PAGE} pages are shown; narrow your search."
            )
        return data

    def filters(self) -> SearchFilters:
        """Filters from the valid fields; an invalid one is dropped (and reported by the view)."""
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        category = self.fixed_category or self.tree.get(data.get("category") or "")
        return SearchFilters(
            q=(data.get("q") or "").strip(),
            category=category,
            city=data.get("city") or "",
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            min_rating=data.get("min_rating"),
            pricing_type=data.get("pricing_type") or "",
            **free_days_wanted(data.get("available") or "", self.today),
            sort=data.get("sort") or Sort.RELEVANCE,
            page=data.get("page") or 1,
        )


# ISO 4217 codes offered on the service form: the currencies in circulation, by name. The
# model keeps accepting any three capital letters (the API, an old row), so a service already
# in a code not listed keeps it as an extra choice.
CURRENCIES = {
    "AED": "UAE dirham",
    "ARS": "Argentine peso",
    "AUD": "Australian dollar",
    "BGN": "Bulgarian lev",
    "BRL": "Brazilian real",
    "CAD": "Canadian dollar",
    "CHF": "Swiss franc",
    "CLP": "Chilean peso",
    "CNY": "Chinese yuan",
    "COP": "Colombian peso",
    "CZK": "Czech koruna",
    "DKK": "Danish krone",
    "EGP": "Egyptian pound",
    "EUR": "Euro",
    "GBP": "Pound sterling",
    "HKD": "Hong Kong dollar",
    "HUF": "Hungarian forint",
    "IDR": "Indonesian rupiah",
    "ILS": "Israeli new shekel",
    "INR": "Indian rupee",
    "ISK": "Icelandic króna",
    "JPY": "Japanese yen",
    "KES": "Kenyan shilling",
    "KRW": "South Korean won",
    "MAD": "Moroccan dirham",
    "MXN": "Mexican peso",
    "MYR": "Malaysian ringgit",
    "NGN": "Nigerian naira",
    "NOK": "Norwegian krone",
    "NZD": "New Zealand dollar",
    "PEN": "Peruvian sol",
    "PHP": "Philippine peso",
    "PKR": "Pakistani rupee",
    "PLN": "Polish złoty",
    "RON": "Romanian leu",
    "SAR": "Saudi riyal",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "THB": "Thai baht",
    "TRY": "Turkish lira",
    "TWD": "New Taiwan dollar",
    "UAH": "Ukrainian hryvnia",
    "USD": "US dollar",
    "VND": "Vietnamese đồng",
    "ZAR": "South African rand",
}

# How long a job takes, in the steps people think in: quarter hours up to two hours, half
# hours up to four, then whole hours (the model allows 15 minutes to 12 hours).
DURATION_STEPS = (
    *range(15, 121, 15),
    *range(150, 241, 30),
    *range(300, MAX_DURATION_MINUTES + 1, 60),
)


def duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def _with_current(choices: list, current) -> list:
    """`choices`, plus the value the row holds today if it is not among them."""
    if current in (None, "") or current in {value for value, _ in choices}:
        return choices
    return [*choices, (current, str(current))]


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 code from the list, in any case (the API has always taken "eur")."""

    default_error_messages = {
        "invalid_choice": "Use a three-letter ISO 4217 code of a currency in use, e.g. USD."
    }

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class ServiceForm(forms.ModelForm):
    """A provider's own service, as edited in the dashboard."""

    category = forms.TypedChoiceField(label="Category", coerce=int)
    # Shown under "Advanced" only: catalog.services makes the address from the title.
    slug = forms.SlugField(
        label="Page address",
        required=False,
        max_length=140,
        help_text="Part of the page address. Leave empty to make one from the title.",
    )
    currency = CurrencyField(label="Currency")
    duration_minutes = forms.TypedChoiceField(label="Duration", coerce=int)

    class Meta:
        model = Service
        fields = SERVICE_FIELDS
        labels = {
            "base_price": "Price",
            "duration_minutes": "Duration (minutes)",
            "is_active": "Offer it now",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tree = category_tree()
        self.fields["category"].choices = [("", "Choose a category")] + [
            (node.id, "\u00a0\u00a0" * node.depth + node.name) for node in tree.flat()
        ]
        if self.instance.pk:
            self.initial["category"] = self.instance.category_id
        currencies = [(code, f"{code} — {name}") for code, name in CURRENCIES.items()]
        durations = [(minutes, duration_label(minutes)) for minutes in DURATION_STEPS]
        if self.instance.pk:
            currencies = _with_current(currencies, self.instance.currency)
            durations = _with_current(durations, self.instance.duration_minutes)
        else:
            # The model's default was read at import; the setting is read now.
            self.initial.setdefault("currency", settings.DEFAULT_CURRENCY)
            self.initial.setdefault("duration_minutes", 60)
        self.fields["currency"].choices = currencies
        self.fields["duration_minutes"].choices = [("", "Choose how long"), *durations]
        self.slug_field = self["slug"]

    def main_fields(self):
        """Every visible field but the page address, which the page keeps under "Advanced"."""
        return [field for field in self.visible_fields() if field.name != "slug"]

    def clean_slug(self):
        # Left empty on an existing service: keep its address rather than break old links.
        return self.cleaned_data.get("slug") or (self.instance.slug if self.instance.pk else "")

    def clean_category(self):
        return ServiceCategory.objects.get(pk=self.cleaned_data["category"])

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
