"""Quotas as a minimum or a range (minimum–maximum), for the municipality or one department.

The old `planned_min`/`planned_max` pair becomes `minimum`/`maximum`: minimum =
coalesce(minimum, planned_min), maximum = planned_max (dropped when below the minimum).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Q


def forwards(apps, schema_editor):
    IntakeQuota = apps.get_model("trainees", "IntakeQuota")
    for quota in IntakeQuota.objects.all():
        minimum = quota.minimum if quota.minimum is not None else quota.planned_min
        maximum = quota.planned_max
        if minimum is None:
            minimum = maximum or 0
        if maximum is not None and maximum < minimum:
            maximum = None
        quota.minimum, quota.maximum = minimum, maximum
        quota.save(update_fields=["minimum", "maximum"])


def backwards(apps, schema_editor):
    IntakeQuota = apps.get_model("trainees", "IntakeQuota")
    for quota in IntakeQuota.objects.all():
        if quota.maximum is not None:
            quota.planned_min, quota.planned_max = quota.minimum, quota.maximum
            quota.minimum = None
        quota.save(update_fields=["minimum", "planned_min", "planned_max"])


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("trainees", "0002_catalogues"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="intakequota", name="quota_unique_per_year"),
        migrations.RemoveConstraint(model_name="intakequota", name="quota_planned_range_ordered"),
        migrations.AddField(
            model_name="intakequota",
            name="department",
            field=models.ForeignKey(
                blank=True,
                help_text="Tom: dimensioneringen for hele kommunen.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="intake_quotas",
                to="organisation.department",
                verbose_name="fagområde",
            ),
        ),
        migrations.AddField(
            model_name="intakequota",
            name="maximum",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Kun ved et interval (fx 30–35); tom, når dimensioneringen er et minimum.",
                null=True,
                verbose_name="maksimum",
            ),
        ),
        migrations.AddField(
            model_name="intakequota",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version (intern)"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="intakequota", name="planned_min"),
        migrations.RemoveField(model_name="intakequota", name="planned_max"),
        migrations.AlterField(
            model_name="intakequota",
            name="minimum",
            field=models.PositiveIntegerField(verbose_name="minimum"),
        ),
        migrations.AlterModelOptions(
            name="intakequota",
            options={
                "ordering": ["year", "programme", "department"],
                "verbose_name": "dimensionering",
                "verbose_name_plural": "dimensioneringer",
            },
        ),
        migrations.AddConstraint(
            model_name="intakequota",
            constraint=models.UniqueConstraint(
                fields=("municipality", "programme", "year", "department"),
                name="quota_unique_per_year_department",
                nulls_distinct=False,
                violation_error_message=(
                    "Der er allerede en dimensionering for denne uddannelse, dette år og "
                    "dette fagområde."
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="intakequota",
            constraint=models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")),
                name="quota_range_ordered",
                violation_error_message="Maksimum må ikke være mindre end minimum.",
            ),
        ),
    ]
