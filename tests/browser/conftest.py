"""Real Chromium (Debian's package) driven by Playwright, against a live server on PostgreSQL."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "user_agent": (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
        ),
    },
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}


@pytest.fixture(scope="session")
def chromium_browser():
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls made
    # between browser steps (and by later tests' set-up) are still synchronous, which
    # Django must be told is fine while the browser is open.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _launch():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is not installed: run `make test`, which installs it (apt-get install chromium)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, chromium_browser, live_server):
    yield from _page(request, chromium_browser, live_server, device=request.param)


@pytest.fixture(params=list(VIEWPORTS))
def page_for_axe(request, chromium_browser, live_server):
    # Playwright puts axe-core in the page as an inline script, which the site's CSP
    # (script-src 'self') rightly refuses; only these contexts bypass it, so every
    # other browser test still runs under the real policy.
    yield from _page(request, chromium_browser, live_server, device=request.param, bypass_csp=True)


@pytest.fixture
def page_without_javascript(request, chromium_browser, live_server):
    yield from _page(
        request, chromium_browser, live_server, device="phone", java_script_enabled=False
    )


def _page(request, chromium_browser, live_server, *, device, **options):
    context = chromium_browser.new_context(base_url=live_server.url, **VIEWPORTS[device], **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.device = device
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content())
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
