"""The portal's URLs plus an API view that fails on purpose, to see how /api/ errors look."""

from django.urls import path

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


urlpatterns = [path("api/v1/test-boom/", boom), *portal_urlpatterns]
