"""`manage.py strategy_report --municipality CODE [--strategy ID] [--year Y] [--department ID]
--format pdf|docx --output FILE`: the annual status report of a strategy for scheduled runs,
as the municipality's coordinator reads it. The file is written whole or not at all."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.roles import Role
from apps.core.scoping import Scope
from apps.organisation.models import Department, Municipality
from apps.reports.documents import FORMATS, default_strategy, default_year, render
from apps.reports.gather import report_data
from apps.strategy.models import Strategy


class Command(BaseCommand):
    help = "Dan den årlige statusrapport for en strategi som PDF eller Word."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, type=int, help="Kommunenummer")
        parser.add_argument(
            "--strategy", type=int, help="Strategiens id (standard: den gældende strategi)"
        )
        parser.add_argument("--year", type=int, help="Året (standard: seneste afsluttede år)")
        parser.add_argument("--department", type=int, help="Kun dette fagområde (id)")
        parser.add_argument("--format", required=True, choices=FORMATS, help="pdf eller docx")
        parser.add_argument("--output", required=True, help="Filen rapporten skrives til")

    def handle(self, *args, **options):
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(f"Ukendt kommunenummer {options['municipality']}.") from None
        if options["strategy"] is None:
            strategy = default_strategy(municipality)
            if strategy is None:
                raise CommandError(f"{municipality.name} har ingen gældende strategi.")
        else:
            strategy = Strategy.objects.filter(
                municipality=municipality, pk=options["strategy"]
            ).first()
            if strategy is None:
                raise CommandError(
                    f"--strategy: {municipality.name} har ingen strategi med id "
                    f"{options['strategy']}."
                )
        department = None
        if options["department"] is not None:
            department = Department.objects.filter(
                municipality=municipality, pk=options["department"]
            ).first()
            if department is None:
                raise CommandError(
                    f"--department: {municipality.name} har intet fagområde med id "
                    f"{options['department']}."
                )
        year = options["year"] or default_year(municipality)
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year: {year} er ikke et gyldigt år (2000–2100).")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output: mappen {output.parent} findes ikke.")
        scope = Scope(user_id=None, role=Role.COORDINATOR, municipality_id=municipality.pk)
        report = report_data(
            scope=scope,
            municipality=municipality,
            strategy=strategy,
            year=year,
            department=department,
        )
        content = render(report, options["format"])
        handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Statusrapporten er skrevet til {output}.")
