"""axe-core (npm, installed by `make test`) run in the page: serious and critical problems fail."""

from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page):
    """The serious and critical violations axe finds on the page as it is now."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make test`, which installs it (npm ci).")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        """() => axe.run(document, {
            resultTypes: ["violations"],
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        })"""
    )
    return [
        violation for violation in results["violations"] if violation["impact"] in FAILING_IMPACTS
    ]


class AxeReport:
    """Checks page after page and fails once, at the end, with everything that was found."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.checked = []

    def check(self, name):
        self.page.wait_for_load_state()
        self.checked.append(name)
        for violation in axe_violations(self.page):
            targets = "; ".join(" ".join(node["target"][-1:]) for node in violation["nodes"][:5])
            self.problems.append(
                f"{name} ({self.page.url}): {violation['id']} [{violation['impact']}] "
                f"{violation['help']} -> {targets}"
            )

    def assert_clean(self):
        assert not self.problems, f"{self.page.device}:\n" + "\n".join(self.problems)
