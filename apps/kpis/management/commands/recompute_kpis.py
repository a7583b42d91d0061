"""`manage.py recompute_kpis [--municipality CODE] [--all-periods]`: the nightly recompute."""

from django.core.management.base import BaseCommand, CommandError

from apps.kpis.services import measurements_recompute
from apps.organisation.models import Municipality


class Command(BaseCommand):
    help = "Genberegner forberegnede tal og målinger for én eller alle kommuner."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", type=int, help="Kommunenummer, fx 250.")
        parser.add_argument(
            "--all-periods",
            action="store_true",
            help="Genberegn også lukkede perioder (ellers kun manglende og åbne år).",
        )

    def handle(self, *args, **options):
        municipalities = Municipality.objects.order_by("code")
        if options["municipality"] is not None:
            municipalities = municipalities.filter(code=options["municipality"])
            if not municipalities:
                raise CommandError(f"Ukendt kommunenummer: {options['municipality']}")
        for m in municipalities:
            result = measurements_recompute(
                municipality_id=m.pk, all_periods=options["all_periods"]
            )
            self.stdout.write(
                f"{m.code} {m.name}: {result.facts} forberegnede tal, "
                f"{result.created} nye og {result.updated} ændrede målinger"
            )
