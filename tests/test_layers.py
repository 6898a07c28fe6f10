"""Every import points down: core/ imports no app, the domain apps import core/ and the apps
below them, only the project shell imports them all, and demo/ and bench/ are imported by
nothing but themselves and tests. Read from the source (every `import`, also inside
functions), so a lazy import cannot hide an arrow that runs back up."""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Lowest first: a package may import those before it, never those after it.
LAYERS = [
    "core",
    "notifications",
    "accounts",
    "catalog",
    "photos",
    "booking",
    "reviews",
    "quotes",
    "messaging",
    "live",
    "pages",
    "insights",
    "clients",
    "marketplace",
]
# Tools on top: they may import anything; only they themselves and tests import them.
TOOLS = ["demo", "bench"]
PACKAGES = [*LAYERS, *TOOLS, "tests"]


def is_test_code(path: Path) -> bool:
    return "tests" in path.parts or path.name == "conftest.py"


def imports_of(path: Path):
    """(imported top-level package, line) for every absolute import in the file."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            yield module.split(".")[0], node.lineno


def arrows():
    """(importing file, its package, imported package, line) across the project's packages."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for imported, line in imports_of(path):
                if imported in PACKAGES and imported != package:
                    yield path.relative_to(ROOT), package, imported, line


def broken_rule(path: Path, package: str, imported: str) -> str | None:
    if is_test_code(path):
        return None  # tests sit above everything they test
    if imported == "tests":
        return "only tests import tests/"
    if imported in TOOLS:
        return f"only {imported}/ itself and tests import {imported}/"
    if package in TOOLS:
        return None
    if LAYERS.index(imported) > LAYERS.index(package):
        return f"{package}/ sits below {imported}/ ({' < '.join(LAYERS)})"
    return None


def test_every_import_points_down():
    wrong = [
        f"{path}:{line} imports {imported}: {rule}"
        for path, package, imported, line in arrows()
        if (rule := broken_rule(path, package, imported))
    ]

    assert wrong == []


def test_the_check_sees_an_import_that_runs_back_up():
    # The rule itself, on arrows that must be refused, so the check above can fail.
    assert broken_rule(Path("core/errors.py"), "core", "booking")
    assert broken_rule(Path("accounts/services.py"), "accounts", "catalog")
    assert broken_rule(Path("booking/api.py"), "booking", "marketplace")
    assert broken_rule(Path("catalog/views.py"), "catalog", "demo")
    assert broken_rule(Path("marketplace/urls.py"), "marketplace", "bench")
    assert broken_rule(Path("booking/tests/test_api.py"), "booking", "reviews") is None
    assert broken_rule(Path("demo/seed.py"), "demo", "reviews") is None


def test_every_package_is_read():
    # A package missing from the walk would pass the check without being checked.
    counted = {package: len(list((ROOT / package).rglob("*.py"))) for package in PACKAGES}

    assert all(counted.values()), counted


# Arrows that are not Python imports but still tie one package to another, each allowed only
# with its reason: a template loading a higher app's tags, a URLconf including a tool's URLs.
ALLOWED_STRING_ARROWS = {
    ("catalog", "reviews"): "service and provider pages show their reviews ({% review_list_for %})",
    ("catalog", "photos"): "cards, service and provider pages show photos ({% service_picture %}, "
    "{% service_gallery %}, {% provider_picture %})",
    ("catalog", "booking"): "cards and service pages show the next free time, from booking's slot "
    "finder ({% next_free_times %})",
    ("booking", "reviews"): "a finished booking's page invites a review ({% review_invitation %})",
    ("booking", "messaging"): "a booking's page shows its messages ({% booking_conversation %})",
    ("accounts", "messaging"): "the profile has the unread-message email switch "
    "({% message_email_preference %})",
    ("marketplace", "bench"): "the benchmark's baseline view, mounted only with BENCH_BASELINE",
    ("accounts", "pages"): "a new provider's dashboard shows their onboarding checklist "
    "({% provider_checklist %})",
    ("booking", "pages"): "My bookings marks jobs waiting for a review, by reviews' rule "
    "({% awaiting_review %})",
    ("accounts", "insights"): "a provider's dashboard home shows their business overview "
    "({% business_overview %}, #21)",
}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
INCLUDE = re.compile(r"""include\(\s*["']([\w.]+)["']""")


def tag_libraries() -> dict[str, str]:
    """Template tag library name → the package that defines it."""
    return {
        path.stem: path.parts[-3]
        for package in PACKAGES
        for path in (ROOT / package).glob("templatetags/*.py")
        if path.stem != "__init__"
    }


def string_arrows():
    """(file, its package, package it names) for {% load %} in templates/<app>/ and for
    include("<package>.urls") in URLconfs."""
    libraries = tag_libraries()
    for template in sorted((ROOT / "templates").rglob("*.html")):
        package = template.relative_to(ROOT / "templates").parts[0]
        if package not in PACKAGES:
            continue  # the base shell, allauth's and the admin's overrides
        for names in LOAD.findall(template.read_text()):
            for name in names.split():
                if libraries.get(name, package) != package:
                    yield template.relative_to(ROOT), package, libraries[name]
    for urls in sorted(ROOT.glob("*/urls.py")):
        package = urls.parts[-2]
        for module in INCLUDE.findall(urls.read_text()):
            top = module.split(".")[0]
            if top in PACKAGES and top != package:
                yield urls.relative_to(ROOT), package, top


def test_templates_and_urlconfs_point_down_too():
    wrong = [
        f"{path} names {named}: {rule}"
        for path, package, named in string_arrows()
        if (package, named) not in ALLOWED_STRING_ARROWS
        and (rule := broken_rule(path, package, named))
    ]

    assert wrong == []


def test_the_string_arrows_allowed_are_still_there():
    # An exception nobody needs any more is one a later change could hide behind.
    seen = {(package, named) for _, package, named in string_arrows()}

    assert set(ALLOWED_STRING_ARROWS) <= seen
