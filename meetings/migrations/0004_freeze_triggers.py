"""On PostgreSQL, the database itself refuses to change a justerat protocol.

The models refuse it too (PartOfProtocol, Meeting.save); these triggers cover what
bypasses the models: raw SQL, queryset.update(), another program. SQLite relies on
the models alone. (TRUNCATE, used by test flushes, fires no row triggers.)
"""

from django.db import migrations

# table → how a row finds its meeting
CHILD_TABLES = {
    "meetings_paragraph": "meeting",
    "meetings_attendance": "meeting",
    "meetings_bilaga": "meeting",
    "meetings_justerare": "meeting",
    "meetings_decision": "paragraph",
    "meetings_uppdrag": "decision",
    "meetings_reservation": "decision",
    "meetings_jav": "decision",
}

FUNCTIONS = """
CREATE OR REPLACE FUNCTION paragraf_meeting_of(how text, meeting_id bigint,
                                                paragraph_id bigint, decision_id bigint)
RETURNS bigint AS $$
BEGIN
  IF how = 'meeting' THEN RETURN meeting_id; END IF;
  IF how = 'paragraph' THEN
    RETURN (SELECT p.meeting_id FROM meetings_paragraph p WHERE p.id = paragraph_id);
  END IF;
  RETURN (SELECT p.meeting_id FROM meetings_decision d
          JOIN meetings_paragraph p ON p.id = d.paragraph_id WHERE d.id = decision_id);
END $$ LANGUAGE plpgsql STABLE;

CREATE OR REPLACE FUNCTION paragraf_refuse_frozen_part() RETURNS trigger AS $$
DECLARE
  how text := TG_ARGV[0];
  row_data jsonb;
  mid bigint;
BEGIN
  FOREACH row_data IN ARRAY ARRAY[
      CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
      CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END] LOOP
    CONTINUE WHEN row_data IS NULL;
    mid := paragraf_meeting_of(how, (row_data->>'meeting_id')::bigint,
                               (row_data->>'paragraph_id')::bigint,
                               (row_data->>'decision_id')::bigint);
    IF EXISTS (SELECT 1 FROM meetings_meeting m WHERE m.id = mid AND m.justerat_at IS NOT NULL) THEN
      RAISE EXCEPTION 'protocol % is justerat and cannot change (%)', mid, TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION paragraf_refuse_frozen_meeting() RETURNS trigger AS $$
BEGIN
  IF OLD.justerat_at IS NULL THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' OR
     (NEW.body_id, NEW.date, NEW.start_time, NEW.end_time, NEW.place, NEW.is_remote,
      NEW.chair_id, NEW.secretary_id, NEW.justerat_at)
     IS DISTINCT FROM
     (OLD.body_id, OLD.date, OLD.start_time, OLD.end_time, OLD.place, OLD.is_remote,
      OLD.chair_id, OLD.secretary_id, OLD.justerat_at) THEN
    RAISE EXCEPTION 'protocol % is justerat and cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A plain cursor: RAISE's % placeholders must not be taken for query parameters.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
    for table, how in CHILD_TABLES.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION paragraf_refuse_frozen_part('{how}')"
        )
    schema_editor.execute(
        "CREATE TRIGGER meetings_meeting_frozen BEFORE UPDATE OR DELETE ON meetings_meeting "
        "FOR EACH ROW EXECUTE FUNCTION paragraf_refuse_frozen_meeting()"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in [*CHILD_TABLES, "meetings_meeting"]:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS paragraf_refuse_frozen_part, paragraf_refuse_frozen_meeting, "
        "paragraf_meeting_of"
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_justering")]

    operations = [migrations.RunPython(create, drop)]
