"""The supervisor qualification catalogue (DOMAIN.md glossary, "Supervisor")."""

from django.db import migrations

LEVELS = [
    ("none", "Ingen", False, ["Ingen uddannelse", "Nej", "-"]),
    ("intro", "Introkursus", False, ["Introduktionskursus", "Intro"]),
    (
        "amu",
        "Vejlederuddannelse",
        True,
        ["Vejlederuddannelse (AMU)", "AMU", "Praktikvejleder AMU", "Praktikvejlederuddannelse"],
    ),
    (
        "diploma",
        "Diplommodul i vejledning",
        True,
        ["Diplommodul", "Diplom", "Diplommodul vejledning"],
    ),
    ("clinical", "Klinisk vejleder", True, ["Klinisk vejlederuddannelse"]),
]


def create_levels(apps, schema_editor):
    QualificationLevel = apps.get_model("supervisors", "QualificationLevel")
    for order, (code, name, formal, aliases) in enumerate(LEVELS):
        QualificationLevel.objects.update_or_create(
            code=code,
            defaults={"name": name, "is_formal": formal, "aliases": aliases, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("supervisors", "0001_initial")]
    operations = [migrations.RunPython(create_levels, migrations.RunPython.noop)]
