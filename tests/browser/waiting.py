"""Waiting in the browser without Playwright's wait_for_function: its poller evaluates a string
in the page, which the Content-Security-Policy (script-src 'self', no 'unsafe-eval') refuses."""

import time

#: The sign-in desk is ready for the next walk-in: htmx's settle, 20 ms after the answer is in
#: the page, puts the cursor back in the walk-in field (``autofocus``). Typing before then can
#: land in that field instead of the one meant: Playwright's fill focuses its field in one call
#: and types in the next.
FOCUSED_ON_WALK_IN = "document.activeElement && document.activeElement.id === 'id_name'"


def wait_until(page, expression: str, *, timeout: float = 15.0) -> None:
    """Poll ``expression`` through page.evaluate (a DevTools call the CSP does not govern)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
