"""`manage.py survey_links --municipality CODE [--ended-from DATE] [--ended-to DATE] --json`:
personal single-use survey links for the placements that ended in a period (for a mail
merge or another system to send). Prints `[{"placement", "trainee", "url"}]`; every run
issues fresh links (an unused older link of the same placement stops working)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.organisation.models import Municipality
from apps.survey.services import eligible_placements, links_issue, survey_url
from apps.trainees.models import Placement


def _date(value: str | None, option: str) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option}: ugyldig dato '{value}'. Skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-31."
        ) from None


class Command(BaseCommand):
    help = "Lav personlige links til praktikundersøgelsen for afsluttede praktikperioder."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, type=int, help="Kommunenummer")
        parser.add_argument("--ended-from", help="Praktikken sluttede tidligst (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--ended-to", help="Praktikken sluttede senest (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--json", action="store_true", help="Skriv linkene som JSON")

    def handle(self, *args, **options):
        try:
            municipality = Municipality.objects.get(code=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(f"Ukendt kommunenummer {options['municipality']}") from None
        ended_from = _date(options["ended_from"], "--ended-from")
        ended_to = _date(options["ended_to"], "--ended-to")
        if ended_from and ended_to and ended_to < ended_from:
            raise CommandError("--ended-to ligger før --ended-from.")
        placements = (
            eligible_placements(
                Placement.objects.filter(municipality=municipality),
                today=timezone.localdate(),
                ended_from=ended_from,
                ended_to=ended_to,
            )
            .select_related("trainee")
            .order_by("end_date", "pk")
        )
        issued = links_issue(placements=placements, actor=None)
        rows = [
            {"placement": p.pk, "trainee": p.trainee.hr_id, "url": survey_url(token)}
            for p, token in issued
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['placement']}\t{row['trainee']}\t{row['url']}")
        self.stdout.write(f"{len(rows)} links lavet.")
