import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("placements", "0003_drafts")]

    operations = [
        migrations.AddField(
            model_name="workplacecapacity",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="oprettet"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="workplacecapacity",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="ændret"),
        ),
    ]
