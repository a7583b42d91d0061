"""Named, chainable row-level building blocks for trainees (STYLE.md B4)."""

from django.db.models import Q

from apps.core.scoping import PersonLevelQuerySet, TenantQuerySet
from apps.trainees.choices import TraineeStatus


class TraineeQuerySet(PersonLevelQuerySet):
    def started_in(self, year: int):
        return self.filter(start_year=year)

    def ended_in(self, year: int):
        return self.filter(end_year=year)

    def of_programme(self, code: str):
        return self.filter(programme__code=code)

    def active(self):
        return self.filter(status=TraineeStatus.ACTIVE)

    def completed(self):
        return self.filter(status=TraineeStatus.COMPLETED)

    def dropped_out(self):
        return self.filter(status=TraineeStatus.DROPPED_OUT)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        query = Q(hr_id__icontains=text)
        for word in text.split():
            query |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return self.filter(query)


class PlacementQuerySet(PersonLevelQuerySet):
    def current(self, on_date):
        return self.filter(start_date__lte=on_date, end_date__gte=on_date)


class AbsenceQuerySet(PersonLevelQuerySet):
    def in_year(self, year: int):
        return self.filter(year=year)


class IntakeQuotaQuerySet(TenantQuerySet):
    pass
