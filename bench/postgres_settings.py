"""The PostgreSQL server settings a benchmark's figures depend on, so a reader can tell a
tuned run from one on the defaults (docs/deploy.md says what to set)."""

SETTINGS = ("shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit")

# PostgreSQL's own defaults for the settings above: a run on them is an untuned run.
DEFAULTS = {
    "shared_buffers": "128MB",
    "work_mem": "4MB",
    "effective_cache_size": "4GB",
    "random_page_cost": "4",
    "jit": "on",
}


def server_settings(connection) -> dict[str, str]:
    """{name: value} as the server reports them (SHOW), for the settings above."""
    values = {}
    with connection.cursor() as cursor:
        for name in SETTINGS:
            cursor.execute(f"SHOW {name}")
            values[name] = cursor.fetchone()[0]
    return values


def untuned(values: dict[str, str]) -> list[str]:
    """The settings still at PostgreSQL's defaults, which docs/deploy.md says to change."""
    return [name for name, value in values.items() if DEFAULTS.get(name) == value]


def describe(values: dict[str, str]) -> str:
    """One line for the benchmark's output."""
    line = "PostgreSQL: " + ", ".join(f"{name}={value}" for name, value in values.items())
    defaults = untuned(values)
    if defaults:
        line += f" (still PostgreSQL's defaults: {', '.join(defaults)}; see docs/deploy.md)"
    return line
