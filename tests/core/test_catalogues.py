"""After `migrate` on an empty database the reference catalogues are there."""

import pytest

from apps.strategy.models import KkrTheme
from apps.supervisors.models import QualificationLevel
from apps.trainees.models import DropoutReason, Phase, Programme

pytestmark = pytest.mark.django_db

# The programme codes shared/import-spec.md names, plus the rest of DOMAIN.md's programmes.
IMPORT_SPEC_CODES = {"SSH", "SSA", "PAU", "PAED", "LAER", "SYG", "SOC", "FYS", "ERGO"}
DOMAIN_PROGRAMMES = {
    "Psykomotorisk terapeut",
    "Audiologopæd",
    "Sundhedsplejerske",
    "Psykolog",
    "Kontorelev",
    "Ejendomsservicetekniker",
}


def test_every_programme_code_of_the_import_spec_exists():
    codes = set(Programme.objects.values_list("code", flat=True))
    assert codes >= IMPORT_SPEC_CODES
    assert set(Programme.objects.values_list("name", flat=True)) >= DOMAIN_PROGRAMMES
    assert Programme.objects.count() == 15


def test_programmes_know_the_danish_names_hr_files_use():
    ssa = Programme.objects.get(code="SSA")
    assert "SOSU-assistent" in ssa.aliases
    assert ssa.name == "Social- og sundhedsassistent"
    assert "Pædagogstuderende" in Programme.objects.get(code="PAED").aliases


def test_dropout_reasons_are_the_ten_of_the_domain_with_illness_as_health_data():
    assert DropoutReason.objects.count() == 10
    health = list(
        DropoutReason.objects.filter(is_health_related=True).values_list("name", flat=True)
    )
    assert health == ["Fysisk/psykisk sygdom"]


def test_phases_are_basic_course_and_six_of_each_period():
    assert Phase.objects.count() == 13
    assert Phase.objects.filter(kind="training").count() == 6
    assert "OP2" in Phase.objects.get(code="training-2").aliases


def test_supervisor_qualifications_and_which_are_formal():
    assert list(QualificationLevel.objects.values_list("name", flat=True)) == [
        "Ingen",
        "Introkursus",
        "Vejlederuddannelse",
        "Diplommodul i vejledning",
        "Klinisk vejleder",
    ]
    assert QualificationLevel.objects.filter(is_formal=True).count() == 3


def test_the_four_kkr_themes_exist():
    assert KkrTheme.objects.count() == 4
