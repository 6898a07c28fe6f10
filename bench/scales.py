"""`bench_search` at several scales, compared: how each combination's p95 grows.

Pure functions over the JSON documents `manage.py bench_search --json` writes (one per
scale, all timing the same matrix: scripts/bench-search passes them one `--matrix` file),
so they are tested without a million rows and used by scripts/bench-search without Django.
"""

import json

# From issue #17: no linear growth, and a page is mostly its SQL.
MAX_P95_GROWTH = 2.0
MAX_PAGE_OVER_SQL = 2.0
MAX_P95_MS = 30.0
MAX_MS = 100.0
# From issue #18: a search "free on <date>" or "free this week", alone, at the large scale.
MAX_AVAILABLE_P95_MS = 100.0
STATED_SMALL, STATED_LARGE = 10_000, 1_000_000
FASTEST_GROWING = 10


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def family(params: dict) -> str:
    """The filters a search combines, as `q+category+sort` (`(none)`: the bare search page)."""
    return "+".join(sorted(params)) or "(none)"


def _key(params: dict) -> str:
    return json.dumps(params, sort_keys=True)


def compare(documents: dict[int, dict]) -> dict:
    """Per scale: the matrix's p50/p95/max and page time over SQL time; per family of
    filters and per combination: p95 (time) at each scale and its growth from the smallest
    scale to the largest; the targets as met/missed."""
    if len(documents) < 2:
        raise ValueError("Comparing scales needs at least two.")
    scales = sorted(documents)
    small, large = scales[0], scales[-1]
    by_scale = {}
    for scale in scales:
        document = documents[scale]
        by_scale[scale] = {
            key: document[key]
            for key in ("p50_ms", "p95_ms", "max_ms", "sql_p50_ms", "page_over_sql_median")
        }
        available = [row["ms"] for row in document["timings"] if "available" in row["params"]]
        if available:
            by_scale[scale]["available_p95_ms"] = round(percentile(available, 0.95), 1)
            by_scale[scale]["available_searches"] = len(available)
    times = {
        scale: {_key(row["params"]): row for row in documents[scale]["timings"]} for scale in scales
    }
    shared = [key for key in times[small] if all(key in times[scale] for scale in scales)]
    families: dict[str, list[str]] = {}
    for key in shared:
        families.setdefault(family(times[small][key]["params"]), []).append(key)
    family_rows = []
    for name, keys in families.items():
        p95 = {scale: percentile([times[scale][k]["ms"] for k in keys], 0.95) for scale in scales}
        family_rows.append(
            {
                "family": name,
                "combinations": len(keys),
                "p95_ms": p95,
                "growth": round(p95[large] / p95[small], 2) if p95[small] else None,
            }
        )
    family_rows.sort(key=lambda row: -(row["growth"] or 0))
    combination_rows = [
        {
            "params": times[small][key]["params"],
            "ms": {scale: times[scale][key]["ms"] for scale in scales},
            "growth": round(times[large][key]["ms"] / times[small][key]["ms"], 2)
            if times[small][key]["ms"]
            else None,
        }
        for key in shared
    ]
    combination_rows.sort(key=lambda row: -(row["growth"] or 0))
    return {
        "scales": scales,
        "by_scale": by_scale,
        "combinations_compared": len(shared),
        "families": family_rows,
        "fastest_growing": combination_rows[:FASTEST_GROWING],
        "targets": targets(by_scale),
    }


def targets(by_scale: dict[int, dict]) -> list[dict]:
    scales = sorted(by_scale)
    small, large = scales[0], scales[-1]
    growth = by_scale[large]["p95_ms"] / by_scale[small]["p95_ms"]
    stated = (small, large) == (STATED_SMALL, STATED_LARGE)
    caveat = "" if stated else f" (stated for {STATED_SMALL:,} and {STATED_LARGE:,})"
    at_large = by_scale[large]
    availability = []
    if "available_p95_ms" in at_large:
        availability.append(
            {
                "target": f"searches by availability: p95 < {MAX_AVAILABLE_P95_MS:g} ms at "
                f"{large:,}",
                "measured": f"{at_large['available_p95_ms']} ms over "
                f"{at_large['available_searches']} searches",
                "met": at_large["available_p95_ms"] < MAX_AVAILABLE_P95_MS,
            }
        )
    return [
        *availability,
        {
            "target": f"p95 at {large:,} <= {MAX_P95_GROWTH:g}x p95 at {small:,}{caveat}",
            "measured": f"{at_large['p95_ms']} ms vs {by_scale[small]['p95_ms']} ms "
            f"({growth:.2f}x)",
            "met": growth <= MAX_P95_GROWTH,
        },
        {
            "target": f"page time <= {MAX_PAGE_OVER_SQL:g}x its SQL time at the median, "
            f"at {large:,}",
            "measured": f"{at_large['page_over_sql_median']:.2f}x",
            "met": at_large["page_over_sql_median"] <= MAX_PAGE_OVER_SQL,
        },
        {
            "target": f"p95 < {MAX_P95_MS:g} ms at {large:,}",
            "measured": f"{at_large['p95_ms']} ms",
            "met": at_large["p95_ms"] < MAX_P95_MS,
        },
        {
            "target": f"max < {MAX_MS:g} ms at {large:,}",
            "measured": f"{at_large['max_ms']} ms",
            "met": at_large["max_ms"] < MAX_MS,
        },
    ]


def format_comparison(comparison: dict, *, families: int | None = None) -> str:
    scales = comparison["scales"]
    columns = "".join(f"{scale:>12,}" for scale in scales)
    lines = [
        f"{'listings':<12}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'SQL p50':>9}{'page/SQL':>10}"
    ]
    for scale in scales:
        row = comparison["by_scale"][scale]
        lines.append(
            f"{scale:<12,}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['max_ms']:>9.1f}"
            f"{row['sql_p50_ms']:>9.1f}{row['page_over_sql_median']:>9.2f}x"
        )
    shown = comparison["families"][:families]
    width = max([len("filters"), *(len(row["family"]) for row in shown)]) + 2
    lines += [
        "",
        f"p95 (ms) of each combination of filters, over the {comparison['combinations_compared']:,} "
        "searches every scale timed, fastest-growing first (n: its searches):",
        f"{'filters':<{width}}{'n':>5}{columns}{'growth':>9}",
    ]
    for row in shown:
        p95 = "".join(f"{row['p95_ms'][scale]:>12.1f}" for scale in scales)
        growth = f"{row['growth']:.2f}x" if row["growth"] is not None else "-"
        lines.append(f"{row['family']:<{width}}{row['combinations']:>5}{p95}{growth:>9}")
    lines += ["", "The searches whose time grew the most (ms):"]
    for row in comparison["fastest_growing"]:
        ms = " -> ".join(f"{row['ms'][scale]:.1f}" for scale in scales)
        query = "&".join(f"{name}={value}" for name, value in row["params"].items())
        growth = f"{row['growth']:.2f}x" if row["growth"] is not None else "-"
        lines.append(f"  {growth:>8}  {ms}  ?{query}")
    marks = {True: "met", False: "MISSED"}
    lines += ["", "Targets:"]
    lines += [
        f"  {marks[check['met']]:<7}{check['target']}: {check['measured']}"
        for check in comparison["targets"]
    ]
    return "\n".join(lines)
