"""Request ids for the log and the 500 page, the headers every private page carries, and the
idle end of a session."""

import logging
import secrets
import time
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

_request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Nothing here uses the camera, the microphone or the location: the patrol and photo pages take
# pictures through <input type="file" capture>, which opens the phone's camera app and needs no
# permission. If a page ever needs one, grant it on that page's response only.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class RequestIdMiddleware:
    """Gives each request a short id (request.id, the X-Request-ID header and every log line),
    so the id a user reads off the error page finds the traceback in the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = secrets.token_hex(6)
        # Not reset on the way out: Django logs a 4xx/5xx response after the middleware returns,
        # and that line must carry the id too. The next request on this thread sets its own.
        _request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds %(request_id)s to every record ("-" outside a request, e.g. in the worker)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class PrivateResponseMiddleware:
    """Every response the app itself makes (pages, Excel files, photos, the TV board) may carry
    personal data, so none is kept by the browser or a proxy: a revealed ID number must not stay
    in the cache of a shared office PC. Static files are served by WhiteNoise before this runs
    and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


RENEWED = "renewed_at"
# How often a used session has its end moved: every request would cost a write of the session row
# on every page (SESSION_SAVE_EVERY_REQUEST); every five minutes costs one write now and then and
# ends an idle session between 1 h 55 and 2 h after its last use.
RENEW_EVERY = 5 * 60


def stamp_session_on_login(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: a new session starts its idle clock now."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED] = int(time.time())


class IdleSessionMiddleware:
    """Sessions end SESSION_COOKIE_AGE (2 hours) after their last use: a request to a session not
    renewed for five minutes saves it again, which moves its end in the database and the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            renewed = session.get(RENEWED)
            now = int(time.time())
            if renewed is not None and now - renewed >= RENEW_EVERY:
                session[RENEWED] = now
        return response
