from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Strategiportalen – administration")
admin.site.site_title = _("Strategiportalen")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.monitoring.urls")),
    path("konto/", include("apps.accounts.urls")),
    path("strategi/", include("apps.strategy.urls")),
    path("elever/", include("apps.trainees.urls")),
    path("dimensionering/", include("apps.trainees.quota_urls")),
    path("vejledere/", include("apps.supervisors.urls")),
    path("kapacitet/", include("apps.placements.urls_capacity")),
    path("noegletal/", include("apps.kpis.urls")),
    path("praktikundersoegelse/", include("apps.survey.urls")),
    path("overblik/", include("apps.dashboards.urls")),
    path("praktikplanlaegning/", include("apps.placements.urls")),
    path("rapporter/", include("apps.reports.urls")),
    path("sygefravaer/", include("apps.alerts.urls")),
    path("praktikbehov/", include("apps.placements.urls_trainee")),
    path("import/", include("apps.imports.urls")),
    path("api/v1/", include("apps.api.urls")),
    path("persondata/", include("apps.privacy.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
