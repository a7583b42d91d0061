"""Tell the audit trail's redaction function who counts as anonymised.

`core_audit_redact()` (apps/core/migrations/0004) only blanks audit entries about a person
for whom `core_audit_subject_anonymised(type, id)` is true. Anonymisation is this app's rule,
so this app installs the answer: a trainee whose `anonymised_at` is set, and that trainee's
placements and absences. Supervisors are not anonymised (yet), so their entries never are.
"""

from django.db import migrations

CHECK = """
CREATE OR REPLACE FUNCTION core_audit_subject_anonymised(subject_type text, subject_id text)
RETURNS boolean LANGUAGE sql STABLE
SET search_path = %(schema)s, pg_temp
AS $$
    SELECT CASE
        WHEN subject_id IS NULL OR subject_id !~ '^[0-9]{1,18}$' THEN false
        WHEN subject_type = 'trainees.trainee' THEN EXISTS (
            SELECT 1 FROM trainees_trainee AS t
            WHERE t.id = subject_id::bigint AND t.anonymised_at IS NOT NULL)
        WHEN subject_type = 'trainees.placement' THEN EXISTS (
            SELECT 1 FROM trainees_placement AS p JOIN trainees_trainee AS t ON t.id = p.trainee_id
            WHERE p.id = subject_id::bigint AND t.anonymised_at IS NOT NULL)
        WHEN subject_type = 'trainees.absence' THEN EXISTS (
            SELECT 1 FROM trainees_absence AS a JOIN trainees_trainee AS t ON t.id = a.trainee_id
            WHERE a.id = subject_id::bigint AND t.anonymised_at IS NOT NULL)
        ELSE false
    END
$$;
"""

NOBODY = """
CREATE OR REPLACE FUNCTION core_audit_subject_anonymised(subject_type text, subject_id text)
RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT false $$;
"""


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    schema_editor.execute(CHECK % {"schema": schema}, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NOBODY, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_guarded_changes"),
        ("trainees", "0002_catalogues"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
