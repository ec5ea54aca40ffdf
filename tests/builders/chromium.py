"""Chromium as the public's browser: Debian's own build driven by Playwright, with every host
name resolving to nothing, so a page that needs the network shows it as failed requests.

Everything a visit reports that a reader would suffer from is collected as a problem: console
errors and warnings, uncaught exceptions, failed requests, and any request that is not for a
local file."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make system-deps` installs it
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def offline_chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    page: Page
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def visit(browser: Browser, path: Path, viewport: dict | None = None) -> Visit:
    """Opens a local file and waits until it has loaded; the page stays open for looking."""
    page = browser.new_page(viewport=viewport or DESKTOP)
    seen = Visit(page)
    page.on("console", lambda m: m.type in ("error", "warning")
            and seen.problems.append(f"console {m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen.problems.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: seen.problems.append(f"failed: {r.url} {r.failure}"))
    page.on("request", lambda r: seen.requests.append(r.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(200)  # late console messages
    seen.problems += [f"not local: {url}" for url in seen.requests
                      if not url.startswith(("file:", "data:", "about:"))]
    return seen


def screenshot(visit_: Visit, out: Path) -> Path:
    """The whole page, as long as it is, at the page's viewport width."""
    visit_.page.screenshot(path=str(out), full_page=True)
    return out
