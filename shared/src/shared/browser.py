"""Real-browser support for end-to-end tests: Playwright driving the system's Chromium.

Nothing here downloads a browser. Chromium comes from the operating system (Debian's ``chromium``
package) or from ``CHROMIUM_PATH``. Where none is installed, browser tests are skipped with a
one-line hint, except under ``CI=true``, where a missing browser is a failure: CI must prove the
pages work, not quietly skip them.

Playwright and axe-core (bundled by ``axe-playwright-python``) are imported only when a browser
test runs, so a project's other tests never need them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, ViewportSize

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "no Chromium found: install one (Debian/Ubuntu: `sudo apt-get install chromium`) "
    "or set CHROMIUM_PATH to run the browser tests"
)
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


def find_chromium(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the path of the Chromium to drive, or None when this machine has none."""
    variables = os.environ if environ is None else environ
    if explicit := variables.get("CHROMIUM_PATH"):
        return explicit if Path(explicit).is_file() else None
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


def require_chromium(environ: Mapping[str, str] | None = None) -> str:
    """The Chromium path; skip the test without one, or fail under ``CI=true``."""
    variables = os.environ if environ is None else environ
    if path := find_chromium(variables):
        return path
    if variables.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {INSTALL_HINT}.", pytrace=False)
    pytest.skip(INSTALL_HINT)


def serious_accessibility_violations(
    page: Page, *, impacts: Iterable[str] = BLOCKING_IMPACTS
) -> list[dict[str, Any]]:
    """Run axe-core on the page and return its violations of the given impacts."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    wanted = set(impacts)
    return [v for v in result.response["violations"] if v.get("impact") in wanted]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """A readable, one-line-per-node summary for an assertion message."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(
                f"{violation['impact']}: {violation['id']} at {target}: {violation['help']}"
            )
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Fail when axe-core finds a violation of impact "serious" or "critical" on the page."""
    violations = serious_accessibility_violations(page)
    assert not violations, describe_violations(violations)  # noqa: S101 - a test helper


class CspViolations:
    """Collects the Content-Security-Policy violations a page reports while a test drives it.

    Chromium reports each blocked script, style, image, frame or connection twice: as a console
    error ("Refused to ... because it violates the following Content Security Policy directive")
    and as a ``securitypolicyviolation`` DOM event. The console sees every document of the tab,
    navigations included, so it is what is collected here; the event listener added by
    :meth:`watch` catches the rare report that has no console line (a violation from an
    ``eval``-like call in report-only mode).
    """

    MARKER = "Content Security Policy"
    _LISTENER = """
        document.addEventListener("securitypolicyviolation", (event) => {
            console.error(`Content Security Policy event: ${event.violatedDirective} ` +
                          `blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:` +
                          `${event.lineNumber}`);
        });
    """

    def __init__(self) -> None:
        self.messages: list[str] = []

    @classmethod
    def watch(cls, page: Page) -> CspViolations:
        violations = cls()
        page.on("console", violations._record)
        # Init scripts are injected by the browser itself, so the policy does not block them.
        page.add_init_script(cls._LISTENER)
        return violations

    def _record(self, message: ConsoleMessage) -> None:
        if self.MARKER in message.text and message.text not in self.messages:
            self.messages.append(message.text)

    def assert_none(self) -> None:
        assert not self.messages, "CSP violations:\n" + "\n".join(self.messages)  # noqa: S101


def optimise_png(path: Path, colours: int = 256) -> None:
    """Shrink a screenshot several-fold for the README: a palette of 256 colours is lossless
    to the eye for flat UI colours, and PNG optimisation does the rest."""
    from PIL import Image

    with Image.open(path) as shot:
        palette = shot.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
    palette.save(path, format="PNG", optimize=True)


def save_screenshots(page: Page, name: str, directory: Path) -> list[Path]:
    """Save the current page at desktop and phone width as ``<name>-desktop.png``/``-phone.png``.

    The page is reloaded at each width so responsive layouts settle before the shot.
    """
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.reload(wait_until="networkidle")
        path = directory / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=False)
        optimise_png(path)
        saved.append(path)
    page.set_viewport_size(DESKTOP)
    return saved
