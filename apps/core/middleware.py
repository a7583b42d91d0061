"""Request-wide middleware: a correlation id on every request and no caching of pages."""

import logging
import uuid
from contextvars import ContextVar

_correlation_id: ContextVar[str] = ContextVar("correlation_id", default="-")


def current_correlation_id() -> str:
    return _correlation_id.get()


class CorrelationIdFilter(logging.Filter):
    """Adds the current request's correlation id to every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = _correlation_id.get()
        return True


class CorrelationIdMiddleware:
    """Gives each request an id, shown on error pages and written to the log, so support
    can find what went wrong without showing the user a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.correlation_id = uuid.uuid4().hex[:12]
        token = _correlation_id.set(request.correlation_id)
        try:
            response = self.get_response(request)
        finally:
            _correlation_id.reset(token)
        response["X-Correlation-ID"] = request.correlation_id
        return response


class NoStoreMiddleware:
    """Pages and files may hold personal data: browsers and proxies must not keep them.
    Also switches off browser features the portal never uses (camera, location, …)."""

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response
