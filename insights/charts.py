"""Server-rendered SVG charts: the geometry of bars and a line, computed here, drawn by
templates/insights/includes/chart.html with a title, a text summary and the data as a table.
No JavaScript, no library: a viewBox that scales to the width of a phone."""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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

    @property
    def svg(self) -> str:
        return render_svg(self)

    @property
    def table_rows(self) -> str:
        return render_table_rows(self)


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


def render_svg(chart: Chart) -> str:
    """The chart's <svg>, built here rather than in a template loop: a year is 53 bars and
    labels per chart, four charts a page (docs/insights.md, "Cost")."""
    parts = [
        format_html(
            '<svg viewBox="0 0 {} {}" role="img" aria-labelledby="chart-{}-svg-title '
            'chart-{}-svg-desc" focusable="false"><title id="chart-{}-svg-title">{}</title>'
            '<desc id="chart-{}-svg-desc">{}</desc>'
            '<line class="axis" x1="0" y1="{}" x2="{}" y2="{}"/>',
            chart.width,
            chart.height,
            chart.slug,
            chart.slug,
            chart.slug,
            chart.title,
            chart.slug,
            chart.summary,
            chart.base,
            chart.width,
            chart.base,
        )
    ]
    if chart.kind == "bars":
        parts += [
            format_html(
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
                mark.x,
                mark.y,
                mark.width,
                mark.height,
                mark.label,
                mark.value,
            )
            for mark in chart.marks
        ]
    else:
        if chart.points:
            parts.append(format_html('<polyline class="line" points="{}"/>', chart.points))
        parts += [
            format_html(
                '<circle class="dot" cx="{}" cy="{}" r="3"><title>{}: {}</title></circle>',
                mark.x,
                mark.y,
                mark.label,
                mark.value,
            )
            for mark in chart.marks
            if mark.width
        ]
    parts += [
        format_html(
            '<text x="{}" y="{}" text-anchor="middle">{}</text>', x, chart.height - 4, label
        )
        for index, (x, label) in enumerate(chart.short_labels)
        if index % chart.label_every == 0
    ]
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def render_table_rows(chart: Chart) -> str:
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="number">{}</td></tr>',
        chart.rows,
    )
