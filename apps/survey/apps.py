from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "apps.survey"
    verbose_name = _("Praktikundersøgelse")

    def ready(self):
        from apps.kpis.registry import register_fact_source
        from apps.survey.facts import survey_facts

        register_fact_source(survey_facts)
