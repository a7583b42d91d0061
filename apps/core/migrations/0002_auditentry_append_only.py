"""Make the audit trail append-only in the database itself (PostgreSQL only).

A trigger refuses any UPDATE of an audit entry, except clearing `actor` when the user is
deleted (ON DELETE SET NULL) and the anonymisation redaction, which sets the transaction-
local flag `portal.audit_redaction`. Deleting entries stays possible for the retention purge.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_refuse_update() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('portal.audit_redaction', true), '') = 'on' THEN
        RETURN NEW;
    END IF;
    IF (NEW.id, NEW.occurred_at, NEW.actor_label, NEW.role, NEW.municipality_id, NEW.action,
        NEW.object_type, NEW.object_id, NEW.object_repr, NEW.changes, NEW.context)
       IS DISTINCT FROM
       (OLD.id, OLD.occurred_at, OLD.actor_label, OLD.role, OLD.municipality_id, OLD.action,
        OLD.object_type, OLD.object_id, OLD.object_repr, OLD.changes, OLD.context)
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
        RAISE EXCEPTION 'core_auditentry is append-only: entry % may not be changed', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_update();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_refuse_update();
"""


def _run(sql):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP), elidable=False)]
