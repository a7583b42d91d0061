"""GET /api/v1/initiatives/<id>/effect/: what happened to the indicators an initiative serves
in the years before and after it was implemented (`apps.kpis.effect`).

Scoped like the strategy pages and /indicators/: the initiative must belong to the user's
municipality (otherwise 404), only the indicators the user may see are listed
(`Indicator.objects.visible_to`), and every yearly value passes the same small-number rule
as /indicators/. Three or four queries whatever the number of indicators.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.api.auth import api_error, api_view
from apps.api.views import _json
from apps.kpis.effect import effect_json, initiative_effect
from apps.strategy.models import Initiative


@api_view
def initiative_effect_view(request, pk: int):
    """GET /api/v1/initiatives/<id>/effect/"""
    scope = request.scope
    initiative = Initiative.objects.in_scope(scope).filter(pk=pk).first()
    if initiative is None:
        return api_error(_("Indsatsen findes ikke."), 404)
    return _json(effect_json(initiative_effect(initiative, scope)))
