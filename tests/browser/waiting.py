"""Waiting in the browser without Playwright's wait_for_function: its poller evaluates a string
in the page, which the Content-Security-Policy (script-src 'self', no 'unsafe-eval') refuses."""

import time


def wait_until(page, expression: str, *, timeout: float = 15.0) -> None:
    """Poll ``expression`` through page.evaluate (a DevTools call the CSP does not govern)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
