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


class ApiJsonErrorMiddleware:
    """Everything under /api/ answers errors as JSON (`{"detail": "…"}` in Danish), also
    those no API view produced: an unknown URL, Django's debug pages when DEBUG is on, a
    CSRF refusal, a crash. The response keeps its status and headers (Allow, security
    headers); only an error body that is not already JSON is replaced. A session that must
    log in again (or pass its two-factor step) is sent to a page by the portal's
    middleware; a BI tool cannot follow that, so under /api/ it is a 401 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from apps.core.errors import default_detail, is_api_request, json_error

        response = self.get_response(request)
        if not is_api_request(request):
            return response
        if response.status_code in (301, 302, 303, 307, 308) and self._to_login(response):
            return json_error(default_detail(401), 401)
        if response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        correlation_id = getattr(request, "correlation_id", current_correlation_id())
        status = response.status_code
        replacement = json_error(default_detail(status, correlation_id), status)
        if response.streaming:
            for name, value in response.items():
                if name.lower() not in {"content-type", "content-length"}:
                    replacement[name] = value
            return replacement
        response.content = replacement.content
        response["Content-Type"] = replacement["Content-Type"]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response

    @staticmethod
    def _to_login(response) -> bool:
        from urllib.parse import urlsplit

        from django.conf import settings
        from django.shortcuts import resolve_url
        from django.urls import Resolver404, resolve

        path = urlsplit(response.get("Location", "")).path
        if path == resolve_url(settings.LOGIN_URL):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.view_name in {"accounts:totp_verify", "accounts:totp_enrol"}


class NulByteMiddleware:
    """PostgreSQL cannot store or compare text holding a NUL byte (it raises, giving a 500),
    and no legitimate form or link sends one. A request whose path, query parameters or
    form values hold one is refused with a Danish 400 (JSON under /api/) before the view
    runs. A multipart form is only read for views under the CSRF check, which reads it
    anyway: a csrf_exempt view may install upload handlers before its body is parsed."""

    FORM_TYPES = ("application/x-www-form-urlencoded",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or self._has_nul(request.GET):
            return self._refuse(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        readable = request.content_type in self.FORM_TYPES or not getattr(
            view_func, "csrf_exempt", False
        )
        if readable and self._has_nul(request.POST):
            return self._refuse(request)
        return None

    @staticmethod
    def _has_nul(data) -> bool:
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in data.lists()
        )

    @staticmethod
    def _refuse(request):
        from django.utils.translation import gettext as _

        from apps.core.views import bad_request

        return bad_request(request, message=_("Forespørgslen indeholder et ugyldigt tegn (NUL)."))
