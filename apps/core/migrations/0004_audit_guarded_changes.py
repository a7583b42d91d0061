"""The audit trail may only change through two checked PostgreSQL functions.

Before this, any session could lift the append-only trigger by setting the transaction flag
`portal.audit_redaction`, and DELETE was not guarded at all. Now a row trigger refuses every
UPDATE and DELETE of `core_auditentry`, except:

* clearing `actor` when the user is deleted (ON DELETE SET NULL; nothing else may change);
* `core_audit_purge_lookups(cutoff)` (SECURITY DEFINER): deletes look-up events (view,
  search, export) older than `cutoff`, and refuses a cutoff later than the configured
  retention (`core_audit_lookup_retention_months()`, rewritten by every `migrate` from
  AUDIT_LOOKUP_RETENTION_MONTHS);
* `core_audit_redact(entry_ids, fields, label)` (SECURITY DEFINER): blanks the named fields'
  old/new values and sets the object label, only for entries about a person that
  `core_audit_subject_anonymised(type, id)` says is anonymised (the privacy app installs
  that check; here it answers no for everyone).

The trigger lets a change through only when ALL hold: it runs inside one of those functions
(a flag the function sets with its own SET clause), the current user is the owner of the
table (true inside the SECURITY DEFINER functions, false for the web process's own role),
and the row itself passes the rule again (a look-up older than the retention; a redaction
that changes nothing but personal values of an anonymised subject). A session that is not
the owner cannot forge the flag into a permission, and even the owner, setting the flag by
hand, can only do what the two functions do. Production therefore runs the web process and
the worker as a role that does NOT own the tables (SECURITY.md).
"""

from django.conf import settings
from django.db import migrations

REDACTED = '["[anonymiseret]", "[anonymiseret]"]'

HELPERS = """
CREATE OR REPLACE FUNCTION core_audit_lookup_actions() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$ SELECT ARRAY['view', 'search', 'export']::text[] $$;

CREATE OR REPLACE FUNCTION core_audit_subject_anonymised(subject_type text, subject_id text)
RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT false $$;

CREATE OR REPLACE FUNCTION core_audit_is_redaction(old_changes jsonb, new_changes jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN jsonb_typeof(old_changes) <> 'object' OR jsonb_typeof(new_changes) <> 'object'
            THEN old_changes = new_changes
        ELSE (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(old_changes) AS k)
                 IS NOT DISTINCT FROM
             (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(new_changes) AS k)
             AND NOT EXISTS (
                 SELECT 1
                 FROM jsonb_each(new_changes) AS n JOIN jsonb_each(old_changes) AS o USING (key)
                 WHERE n.value <> o.value AND n.value <> '%(redacted)s'::jsonb
             )
    END
$$;
"""

RETENTION = """
CREATE OR REPLACE FUNCTION core_audit_lookup_retention_months() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT %(months)d $$;
"""

GUARD = """
CREATE OR REPLACE FUNCTION core_auditentry_refuse_update() RETURNS trigger AS $$
DECLARE
    permit text := coalesce(current_setting('core_audit.permit', true), '');
    is_owner boolean;
BEGIN
    SELECT current_user = pg_get_userbyid(c.relowner) INTO is_owner
    FROM pg_class AS c WHERE c.oid = TG_RELID;

    IF TG_OP = 'DELETE' THEN
        IF permit = 'purge' AND is_owner
           AND OLD.action = ANY (core_audit_lookup_actions())
           AND OLD.occurred_at < clock_timestamp()
               - make_interval(months => core_audit_lookup_retention_months()) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'core_auditentry is append-only: entry % may not be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only core_audit_purge_lookups() removes old look-up events.';
    END IF;

    -- The user was deleted (ON DELETE SET NULL): only the link to the user may go.
    IF (NEW.id, NEW.occurred_at, NEW.actor_label, NEW.role, NEW.municipality_id, NEW.action,
        NEW.object_type, NEW.object_id, NEW.object_repr, NEW.changes, NEW.context)
       IS NOT DISTINCT FROM
       (OLD.id, OLD.occurred_at, OLD.actor_label, OLD.role, OLD.municipality_id, OLD.action,
        OLD.object_type, OLD.object_id, OLD.object_repr, OLD.changes, OLD.context)
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id) THEN
        RETURN NEW;
    END IF;

    -- The anonymisation redaction: personal values of an anonymised subject, nothing else.
    IF permit = 'redact' AND is_owner
       AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_label, NEW.role,
            NEW.municipality_id, NEW.action, NEW.object_type, NEW.object_id, NEW.context)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_label, OLD.role,
            OLD.municipality_id, OLD.action, OLD.object_type, OLD.object_id, OLD.context)
       AND core_audit_subject_anonymised(OLD.object_type, OLD.object_id)
       AND core_audit_is_redaction(OLD.changes, NEW.changes) THEN
        RETURN NEW;
    END IF;

    RAISE EXCEPTION 'core_auditentry is append-only: entry % may not be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only core_audit_redact() blanks personal values of anonymised persons.';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;
CREATE TRIGGER core_auditentry_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_update();
"""

FUNCTIONS = """
CREATE OR REPLACE FUNCTION core_audit_purge_lookups(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = %(schema)s, pg_temp
SET core_audit.permit = 'purge'
AS $$
DECLARE
    months integer := core_audit_lookup_retention_months();
    deleted integer;
BEGIN
    IF cutoff IS NULL OR cutoff > clock_timestamp() - make_interval(months => months) THEN
        RAISE EXCEPTION 'core_audit_purge_lookups: %% is less than %% months ago', cutoff, months
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM core_auditentry
    WHERE action = ANY (core_audit_lookup_actions()) AND occurred_at < cutoff;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$;

CREATE OR REPLACE FUNCTION core_audit_redact(entry_ids bigint[], fields text[], label text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = %(schema)s, pg_temp
SET core_audit.permit = 'redact'
AS $$
DECLARE
    refused bigint;
    changed integer;
BEGIN
    IF label IS NULL OR length(label) = 0 OR length(label) > 255 THEN
        RAISE EXCEPTION 'core_audit_redact: a label of 1-255 characters is required'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT e.id INTO refused FROM core_auditentry AS e
    WHERE e.id = ANY (entry_ids)
      AND NOT core_audit_subject_anonymised(e.object_type, e.object_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'core_audit_redact: entry %% is not about an anonymised person', refused
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE core_auditentry AS e
    SET object_repr = label,
        changes = CASE
            WHEN jsonb_typeof(e.changes) = 'object' THEN (
                SELECT coalesce(jsonb_object_agg(
                    c.key,
                    CASE WHEN c.key = ANY (fields) THEN '%(redacted)s'::jsonb ELSE c.value END
                ), '{}'::jsonb)
                FROM jsonb_each(e.changes) AS c)
            ELSE e.changes
        END
    WHERE e.id = ANY (entry_ids);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END;
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS core_audit_redact(bigint[], text[], text);
DROP FUNCTION IF EXISTS core_audit_purge_lookups(timestamptz);
DROP FUNCTION IF EXISTS core_audit_is_redaction(jsonb, jsonb);
DROP FUNCTION IF EXISTS core_audit_subject_anonymised(text, text);
DROP FUNCTION IF EXISTS core_audit_lookup_retention_months();
DROP FUNCTION IF EXISTS core_audit_lookup_actions();
"""


def retention_sql(months: int) -> str:
    return RETENTION % {"months": int(months)}


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    schema_editor.execute(HELPERS % {"redacted": REDACTED}, params=None)
    schema_editor.execute(retention_sql(settings.AUDIT_LOOKUP_RETENTION_MONTHS), params=None)
    schema_editor.execute(GUARD, params=None)
    schema_editor.execute(FUNCTIONS % {"schema": schema, "redacted": REDACTED}, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Back to 0002: UPDATE guarded by the (forgeable) session flag, DELETE open.
    from importlib import import_module

    previous = import_module("apps.core.migrations.0002_auditentry_append_only")
    schema_editor.execute(previous.CREATE, params=None)
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_exportjob")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
