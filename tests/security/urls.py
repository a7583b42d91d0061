"""A URLconf for the security tests: the real portal plus a few views that misbehave on
purpose (raise, write then raise, query a tenant model), with the portal's error handlers."""

import io

from django.http import FileResponse, HttpResponse, JsonResponse
from django.template import engines
from django.urls import path

from apps.organisation.models import Municipality
from apps.trainees.models import Trainee
from strategy_portal.urls import (  # noqa: F401  (the handlers must live in the root URLconf)
    handler400,
    handler403,
    handler404,
    handler500,
)
from strategy_portal.urls import urlpatterns as portal_urlpatterns

SECRET_MESSAGE = "hemmelig-detalje-fra-undtagelsen"


def boom(request):
    raise RuntimeError(SECRET_MESSAGE)


def write_then_boom(request):
    Municipality.objects.create(code=999, name="Skal ikke gemmes")
    raise RuntimeError(SECRET_MESSAGE)


def trainee_ids(request):
    """What a careless view would leak: every trainee the default manager returns."""
    return JsonResponse({"ids": sorted(Trainee.objects.values_list("pk", flat=True))})


def trainee_by_pk(request, pk):
    trainee = Trainee.objects.get(pk=pk)
    return JsonResponse({"hr_id": trainee.hr_id})


def file_download(request):
    return FileResponse(io.BytesIO(b"hr_id;navn\n"), as_attachment=True, filename="elever.csv")


def nonce_page(request):
    template = engines["django"].from_string(
        '<script nonce="{{ csp_nonce }}" src="/static/x.js"></script>'
    )
    return HttpResponse(template.render({}, request))


urlpatterns = [
    path("test/boom/", boom),
    path("test/write-then-boom/", write_then_boom),
    path("test/trainee-ids/", trainee_ids),
    path("test/trainee/<int:pk>/", trainee_by_pk),
    path("test/file/", file_download),
    path("test/nonce/", nonce_page),
    *portal_urlpatterns,
]
