"""`manage.py load_demo`: the five seed municipalities, their strategies, people and KPIs."""

from django.core.management.base import BaseCommand

from apps.demo.alerts import load_absence_flags
from apps.demo.indicators import load_indicators
from apps.demo.organisation import demo_password, load_organisation, load_users
from apps.demo.planning import load_planning
from apps.demo.population import load_population
from apps.demo.strategies import load_strategies
from apps.demo.survey import load_survey_answers

# In order: indicators link to the strategies' goals and are computed from the population
# and the survey answers given about its finished placements; the absence warnings come from
# the generated absence rows; the placement planning's capacity and new intake (the next
# half-year) come last, after the indicators computed from the generated population.
DEMO_STEPS = [
    load_strategies,
    load_population,
    load_survey_answers,
    load_indicators,
    load_absence_flags,
    load_planning,
]


class Command(BaseCommand):
    help = "Indlæser demodata: de fem seed-kommuner, strategier, elever og nøgletal."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Udskriv ikke demo-logins.")

    def handle(self, *args, **options):
        count = load_organisation()
        self.stdout.write(f"Kommuner indlæst: {count}")
        users = load_users()
        for step in DEMO_STEPS:
            step(stdout=self.stdout)
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo-logins (adgangskode for alle: {demo_password()}):")
            for u in users:
                self.stdout.write(f"  {u['username']:<28} {u['role']:<22} {u['municipality']}")
