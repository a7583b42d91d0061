"""`manage.py load_demo`: the five seed municipalities, their strategies, people and KPIs."""

import importlib.util

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from apps.organisation.demo import demo_password, load_organisation, load_users

# Later steps belong to the apps that own the data; each is a callable taking `stdout`.
DEMO_STEPS = [
    "apps.strategy.demo.load_strategies",
    "apps.trainees.demo.load_population",
    "apps.kpis.demo.load_indicators",
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
            module_path = step.rsplit(".", 1)[0]
            if importlib.util.find_spec(module_path) is None:
                continue  # that app has no demo data (yet)
            import_string(step)(stdout=self.stdout)
        if not options["quiet_logins"]:
            self.stdout.write("")
            self.stdout.write(f"Demo-logins (adgangskode for alle: {demo_password()}):")
            for u in users:
                self.stdout.write(f"  {u['username']:<28} {u['role']:<22} {u['municipality']}")
