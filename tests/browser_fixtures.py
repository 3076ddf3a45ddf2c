"""One headless Chromium for the whole test session, shared by every browser test.

Playwright's sync API allows one driver per thread at a time, so browser tests never start
their own: they ask for ``chromium``. Without /usr/bin/chromium the tests skip (with the
reason printed) unless CI is set, where they fail.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the tests
# are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests need Chromium in CI: {reason}")
        print(f"\nSkipping browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def pytest_report_header(config):
    if Path(CHROMIUM).exists():
        return f"browser tests: Chromium at {CHROMIUM}"
    return f"browser tests: SKIPPED — {CHROMIUM} is missing (apt-get install -y chromium)"


def wait_until(page, expression: str, *, timeout: float = 15.0, interval: float = 0.05):
    """Poll ``page.evaluate(expression)`` until it is truthy and return it. Unlike Playwright's
    ``wait_for_function`` (which compiles its predicate with ``new Function`` inside the page)
    this works under the shop's Content-Security-Policy, which forbids eval."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"still falsy after {timeout} s: {expression}")
        time.sleep(interval)


# Records every Content-Security-Policy violation of a page in window.__cspViolations (added with
# ``context.add_init_script``; read with ``csp_violations(page)``).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
"""


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")
