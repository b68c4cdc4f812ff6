"""What a justerat protocol freezes, and what the archive never lets go: one list,
read by the models (Meeting.save, PartOfProtocol) and by the migrations that
install the PostgreSQL triggers (`install`), so that the database refuses exactly
what the models refuse, whatever bypasses them (raw SQL, queryset.update(),
another program). SQLite relies on the models alone.

A change to these lists needs a migration that calls `install` again;
tests/meetings/test_frozen.py fails until there is one (it compares the installed
trigger functions with what `install` would write now).
"""

# The meeting's own columns the protocol states. status may still move on
# (justerat → publicerat), and publish_on, day_suffix and modified with it.
MEETING_FIELDS = ("body_id", "date", "start_time", "end_time", "place", "is_remote",
                  "chair_id", "secretary_id", "justerat_at")  # fmt: skip

# The tables of a protocol's parts, and how a row finds its meeting: frozen with it.
PART_TABLES = {
    "meetings_paragraph": "meeting",
    "meetings_attendance": "meeting",
    "meetings_bilaga": "meeting",
    "meetings_justerare": "meeting",
    "meetings_cosecretary": "meeting",
    "meetings_decision": "paragraph",
    "meetings_uppdrag": "decision",
    "meetings_reservation": "decision",
    "meetings_jav": "decision",
}

# The archive's records, append-only: never deleted ("always"), or not once their
# meeting is justerat ("meeting"); never changed, but for the columns that may only
# become NULL (a deleted login account leaves its records without a user) and a
# measurement written just after the row (the seconds the seal took).
APPEND_ONLY = {
    # table: (when deletion is refused, columns that may become NULL, columns free)
    "meetings_archivedprotocol": ("always", (), ("render_seconds", "modified")),
    "meetings_publicprotocol": ("always", (), ()),
    "meetings_protokollsutdrag": ("always", (), ()),
    "meetings_approval": ("meeting", ("user_id",), ()),
    "meetings_auditevent": ("meeting", ("user_id",), ()),
    "meetings_historicalparagraph": ("always", ("history_user_id",), ()),
    "meetings_historicaldecision": ("always", ("history_user_id",), ()),
    "meetings_historicalattendance": ("always", ("history_user_id",), ()),
    "meetings_historicalbilaga": ("always", ("history_user_id",), ()),
}

# Every table above: none may be emptied by TRUNCATE, which fires no row trigger.
# A maintenance session (the test suite's flush between tests) says so with
# `SET paragraf.maintenance = 'on'` (settings: DATABASE_MAINTENANCE).
NO_TRUNCATE = ("meetings_meeting", *PART_TABLES, *APPEND_ONLY)


def meeting_function() -> str:
    columns = ", ".join(f"NEW.{c}" for c in MEETING_FIELDS)
    before = ", ".join(f"OLD.{c}" for c in MEETING_FIELDS)
    return f"""
CREATE OR REPLACE FUNCTION paragraf_refuse_frozen_meeting() RETURNS trigger AS $$
BEGIN
  IF OLD.justerat_at IS NULL THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' OR ({columns}) IS DISTINCT FROM ({before}) THEN
    RAISE EXCEPTION 'protocol % is justerat and cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION paragraf_append_only() RETURNS trigger AS $$
DECLARE
  how text := TG_ARGV[0];
  may_clear text[] := string_to_array(TG_ARGV[1], ',');
  free text[] := string_to_array(TG_ARGV[2], ',');
  old_row jsonb := to_jsonb(OLD);
  new_row jsonb;
  col text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF how = 'always' OR EXISTS (SELECT 1 FROM meetings_meeting m
                                 WHERE m.id = (old_row->>'meeting_id')::bigint
                                   AND m.justerat_at IS NOT NULL) THEN
      RAISE EXCEPTION '% is part of the archive and cannot be deleted', TG_TABLE_NAME
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  new_row := to_jsonb(NEW);
  FOREACH col IN ARRAY coalesce(may_clear, '{}') LOOP
    IF new_row->col = 'null'::jsonb THEN
      old_row := old_row - col;
      new_row := new_row - col;
    END IF;
  END LOOP;
  FOREACH col IN ARRAY coalesce(free, '{}') LOOP
    old_row := old_row - col;
    new_row := new_row - col;
  END LOOP;
  IF old_row IS DISTINCT FROM new_row THEN
    RAISE EXCEPTION '% is part of the archive and cannot change', TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

NO_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION paragraf_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('paragraf.maintenance', true), '') <> 'on' THEN
    RAISE EXCEPTION '% holds the archive and cannot be truncated', TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def install(schema_editor) -> None:
    """(Re)create the functions and triggers for the lists above (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    # A plain cursor: RAISE's % placeholders must not be taken for query parameters.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(meeting_function())
        cursor.execute(APPEND_ONLY_FUNCTION)
        cursor.execute(NO_TRUNCATE_FUNCTION)
        for table, how in PART_TABLES.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION paragraf_refuse_frozen_part('{how}')"
            )
        for table, (how, may_clear, free) in APPEND_ONLY.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION paragraf_append_only('{how}', "
                f"'{','.join(may_clear)}', '{','.join(free)}')"
            )
        for table in NO_TRUNCATE:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION paragraf_refuse_truncate()"
            )


def uninstall(schema_editor) -> None:
    """Back to the triggers of migration 0004."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in APPEND_ONLY:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        for table in NO_TRUNCATE:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        cursor.execute("DROP TRIGGER IF EXISTS meetings_cosecretary_frozen ON meetings_cosecretary")
        cursor.execute("DROP FUNCTION IF EXISTS paragraf_append_only, paragraf_refuse_truncate")
