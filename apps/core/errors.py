"""Error answers for the read-only API: everything under `/api/` answers JSON,
`{"detail": "<Danish message>"}`, with the same status codes the pages would give."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PATH_PREFIX = "/api/"
READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")
ALLOW_READ_ONLY = ", ".join(READ_ONLY_METHODS)


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def default_detail(status: int, correlation_id: str = "-") -> str:
    """The Danish message for a status when the code that failed gave none."""
    if status >= 500:
        return _("Der opstod en fejl hos os. Fejlkode: %(id)s") % {"id": correlation_id}
    messages = {
        400: _("Forkert forespørgsel."),
        401: _("Log ind eller brug en gyldig API-nøgle."),
        403: _("Adgang nægtet."),
        404: _("Findes ikke."),
        405: _("API'et kan kun læses."),
    }
    return messages.get(status, _("Forespørgslen kunne ikke gennemføres."))


def json_error(message: str, status: int) -> JsonResponse:
    """Errors are JSON with a Danish message: `{"detail": "…"}`."""
    return JsonResponse(
        {"detail": str(message)}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def method_not_allowed() -> JsonResponse:
    """RFC 9110 §15.5.6: a 405 names the methods the resource does support."""
    response = json_error(default_detail(405), 405)
    response["Allow"] = ALLOW_READ_ONLY
    return response
