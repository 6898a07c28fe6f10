"""Server-rendered SVG charts: the geometry of bars and a line, computed here, drawn by
templates/insights/includes/chart.html with a title, a text summary and the data as a table.
No JavaScript, no library: a viewBox that scales to the width of a phone."""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 320, 150
LEFT, BOTTOM, TOP = 4, 18, 12  # room for the labels under the bars and the top value


@dataclass
class Mark:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    kind: str  # "bars" or "line"
    column: str
    marks: list = field(default_factory=list)
    points: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    base: float = HEIGHT - BOTTOM
    label_every: int = 1

    @property
    def rows(self):
        return [(mark.label, mark.value) for mark in self.marks]


def _labels(buckets, bucket_days):
    if bucket_days == 1:
        return [f"{bucket.first:%a %-d %b}" for bucket in buckets]
    return [f"{bucket.first:%-d %b}–{bucket.last:%-d %b}" for bucket in buckets]


def _short(bucket, bucket_days):
    return f"{bucket.first:%a}" if bucket_days == 1 else f"{bucket.first:%-d/%-m}"


def bar_chart(*, slug, title, column, buckets, bucket_days, value, text=str, unit=""):
    """Bars of `value(bucket)`; the summary names the total, the highest bar and its span."""
    values = [value(bucket) for bucket in buckets]
    labels = _labels(buckets, bucket_days)
    highest = max(values, default=0)
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(values), 1)
    marks = []
    for index, (amount, label) in enumerate(zip(values, labels, strict=True)):
        height = plot * float(amount) / float(highest) if highest else 0
        marks.append(
            Mark(
                x=round(LEFT + index * slot + slot * 0.15, 2),
                y=round(HEIGHT - BOTTOM - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                label=label,
                value=text(amount),
            )
        )
    span = "day" if bucket_days == 1 else "week"
    total = sum(values)
    if highest:
        best = labels[values.index(highest)]
        summary = (
            f"{title}: {text(total)}{unit} in all over {len(values)} {span}s; the most, "
            f"{text(highest)}{unit}, in the {span} of {best}."
        )
    else:
        summary = f"{title}: none in this period."
    chart = Chart(slug=slug, title=title, summary=summary, kind="bars", column=column, marks=marks)
    chart.short_labels = [
        (round(mark.x + mark.width / 2, 2), _short(bucket, bucket_days))
        for mark, bucket in zip(marks, buckets, strict=True)
    ]
    chart.label_every = max(1, len(marks) // 8)
    return chart


def line_chart(*, slug, title, column, buckets, bucket_days, value, low=1, high=5):
    """A line through `value(bucket)` where it has one (a week without reviews has no point)."""
    labels = _labels(buckets, bucket_days)
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(buckets), 1)
    marks, points = [], []
    for index, (bucket, label) in enumerate(zip(buckets, labels, strict=True)):
        amount = value(bucket)
        x = round(LEFT + index * slot + slot / 2, 2)
        if amount is None:
            marks.append(Mark(x=x, y=0, width=0, height=0, label=label, value="no reviews"))
            continue
        y = round(HEIGHT - BOTTOM - plot * (amount - low) / (high - low), 2)
        marks.append(Mark(x=x, y=y, width=3, height=0, label=label, value=f"{amount:.2f}"))
        points.append(f"{x},{y}")
    rated = [mark for mark in marks if mark.width]
    if rated:
        first, last = rated[0], rated[-1]
        direction = (
            "up"
            if float(last.value) > float(first.value)
            else "down"
            if float(last.value) < float(first.value)
            else "level"
        )
        summary = (
            f"{title}: from {first.value} ({first.label}) to {last.value} ({last.label}), "
            f"{direction}."
        )
    else:
        summary = f"{title}: no reviews in this period."
    chart = Chart(
        slug=slug,
        title=title,
        summary=summary,
        kind="line",
        column=column,
        marks=marks,
        points=" ".join(points),
    )
    chart.short_labels = [
        (mark.x, _short(bucket, bucket_days)) for mark, bucket in zip(marks, buckets, strict=True)
    ]
    chart.label_every = max(1, len(marks) // 8)
    return chart


def charts_for(insights) -> list:
    buckets, days = insights.buckets, insights.bucket_days
    currency = insights.main_currency
    charts = [
        bar_chart(
            slug="requests",
            title="Booking requests",
            column="Requests",
            buckets=buckets,
            bucket_days=days,
            value=lambda bucket: bucket.requests,
        ),
        bar_chart(
            slug="completed",
            title="Completed jobs",
            column="Completed",
            buckets=buckets,
            bucket_days=days,
            value=lambda bucket: bucket.completed,
        ),
    ]
    if currency:
        charts.append(
            bar_chart(
                slug="earnings",
                title=f"Earnings ({currency})",
                column=f"Earnings ({currency})",
                buckets=buckets,
                bucket_days=days,
                value=lambda bucket: bucket.earnings,
                text=lambda amount: f"{amount:.2f}",
                unit=f" {currency}",
            )
        )
    charts.append(
        line_chart(
            slug="rating",
            title="Average rating",
            column="Average rating",
            buckets=buckets,
            bucket_days=days,
            value=lambda bucket: bucket.average_rating,
        )
    )
    return charts
