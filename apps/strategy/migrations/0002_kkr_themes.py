"""KKR Hovedstaden's four shared themes, which every capital-region strategy covers."""

from django.db import migrations

THEMES = [
    ("supervisors", "Uddannelse og opkvalificering af praktikvejledere"),
    ("onboarding", "Grundig og systematisk onboarding af nye medarbejdere"),
    ("leadership", "Ledelsesopmærksomhed på elever og studerende"),
    ("quality", "Kvalitet i uddannelserne både på skolen og i praktikken"),
]


def create_themes(apps, schema_editor):
    KkrTheme = apps.get_model("strategy", "KkrTheme")
    for order, (code, name) in enumerate(THEMES):
        KkrTheme.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]
    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
