"""What a justerat protocol freezes, and what the archive never lets go: one list,
read by the models (Meeting.save, PartOfProtocol) and by the migrations that
install the PostgreSQL triggers (`install`), so that the database refuses exactly
what the models refuse, whatever bypasses them (raw SQL, queryset.update(),
another program). SQLite relies on the models alone.

A change to these lists needs a migration that calls `install` again;
tests/meetings/test_frozen.py fails until there is one (it compares the installed
trigger functions with what `install` would write now).
"""

from django.db import connection
from django.db.models import Q


def is_frozen(via: str = "") -> Q:
    """ "Frozen", the one word and its one condition: justerat (justerat_at set, by
    meetings.actions.justering.justera and never unset). As a filter on a Meeting, or
    with `via` such as "meeting__" on a row that leads to one; Meeting.is_frozen says
    it of one meeting in hand."""
    return Q(**{f"{via}justerat_at__isnull": False})


# The meeting's own columns the protocol states. status may still move on
# (justerat → publicerat), and publish_on, day_suffix and modified with it.
MEETING_FIELDS = ("body_id", "date", "start_time", "end_time", "place", "is_remote",
                  "chair_id", "secretary_id", "justerat_at")  # fmt: skip

# A justerat protocol's publication: set once, to a day not passed (publication.
# publish); a scheduled day may move, to a day not passed, until it is reached; from
# then on the anslag is up and the appeal period runs from that day, so neither
# column moves again, and the status stays publicerat once it is (publish_due).
# "Today" is the day in TIME_ZONE, as timezone.localdate() says it. The trigger
# leaves the first setting's day to the model (publication_refused): the demo, and
# tests of it, publish on a day of their own, which the database's clock has passed.
PUBLICATION_FIELDS = ("publish_on", "day_suffix")
PUBLISHED_STATUS = "publicerat"

# An approval of the protocol is given while it is out for justering, not once it is
# justerat (meetings.actions.justering.approve, request_change); an approval of a rättelse
# while that rättelse is not approved yet (meetings.actions.rattelse.approve). Either by one
# of the protocol's approvers: the chair or a justerare.
APPROVAL_STATUS = "under_justering"

# A person named in a justerat protocol keeps the name it names them by: the live
# rows still render it (the workspace's page and draft PDF of the protocol), though
# the sealed documents hold the name as text. Where each table names a person, and
# how its row finds its meeting (PART_TABLES below; meetings_meeting is the meeting).
PERSON_FIELDS = ("name",)
PERSON_COLUMNS = {
    "meetings_meeting": ("chair_id", "secretary_id"),
    "meetings_cosecretary": ("person_id",),
    "meetings_justerare": ("person_id",),
    "meetings_attendance": ("person_id", "substitutes_for_id"),
    "meetings_reservation": ("person_id",),
    "meetings_jav": ("person_id",),
    "meetings_uppdrag": ("assignee_id",),
    "meetings_approval": ("person_id",),
}

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
# meeting is justerat ("meeting"), or only with their meeting, a draft deleted whole
# ("with_meeting": checked when the transaction commits, as the meeting's rows go
# first); never changed, but for the columns that may only become NULL (a deleted
# login account leaves its records without a user) and a measurement written just
# after the row (the seconds the seal took). "once:COLUMN": the row is written freely
# until COLUMN is set (a rättelse until it is approved), then as "always".
APPEND_ONLY = {
    # table: (when deletion is refused, columns that may become NULL, columns free)
    "meetings_archivedprotocol": ("always", (), ("render_seconds", "modified")),
    "meetings_publicprotocol": ("always", (), ()),
    "meetings_protokollsutdrag": ("always", (), ()),
    "meetings_approval": ("meeting", ("user_id",), ()),
    "meetings_auditevent": ("with_meeting", ("user_id",), ()),
    "meetings_rattelse": ("once:approved_at", ("created_by_id",), ("modified",)),
    "meetings_historicalparagraph": ("always", ("history_user_id",), ()),
    "meetings_historicaldecision": ("always", ("history_user_id",), ()),
    "meetings_historicalattendance": ("always", ("history_user_id",), ()),
    "meetings_historicalbilaga": ("always", ("history_user_id",), ()),
}

# Every table above: none may be emptied by TRUNCATE, which fires no row trigger.
# A maintenance session (the test suite's flush between tests) says so with
# `SET paragraf.maintenance = 'on'` (settings: DATABASE_MAINTENANCE), and only as
# the tables' owner (or a superuser): the app's own role, which owns no table
# (README: in production), cannot say so, as it cannot disable a trigger.
NO_TRUNCATE = ("meetings_meeting", *PART_TABLES, *APPEND_ONLY)


def today_sql() -> str:
    """The day it is where the app says it (timezone.localdate()), not the
    connection's day (Django's connection speaks UTC)."""
    from django.conf import settings

    return f"(now() AT TIME ZONE '{settings.TIME_ZONE}')::date"


def meeting_function() -> str:
    columns = ", ".join(f"NEW.{c}" for c in MEETING_FIELDS)
    before = ", ".join(f"OLD.{c}" for c in MEETING_FIELDS)
    published = ", ".join(f"NEW.{c}" for c in PUBLICATION_FIELDS)
    published_before = ", ".join(f"OLD.{c}" for c in PUBLICATION_FIELDS)
    today = today_sql()
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
  IF (({published}) IS DISTINCT FROM ({published_before})
      AND (OLD.publish_on <= {today} OR NEW.publish_on IS NULL
           OR (OLD.publish_on IS NOT NULL AND NEW.publish_on < {today})))
     OR (OLD.status = '{PUBLISHED_STATUS}' AND NEW.status <> '{PUBLISHED_STATUS}') THEN
    RAISE EXCEPTION 'protocol % is published and its publication cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def publication_refused(stored: dict, new: dict, today) -> bool:
    """The rule of PUBLICATION_FIELDS for the model (Meeting.save), as the trigger
    above says it: `stored` and `new` hold publish_on, day_suffix and status."""
    moved = any(stored[f] != new[f] for f in PUBLICATION_FIELDS)
    reached = stored["publish_on"] is not None and stored["publish_on"] <= today
    passed = new["publish_on"] is None or new["publish_on"] < today
    unpublished = stored["status"] == PUBLISHED_STATUS and new["status"] != PUBLISHED_STATUS
    return (moved and (reached or passed)) or unpublished


def meeting_of_sql(table: str, alias: str) -> str:
    """The joins from `alias` (a row of `table`, one of PART_TABLES) to its meeting,
    named m."""
    how = PART_TABLES[table]
    if how == "meeting":
        return f"JOIN meetings_meeting m ON m.id = {alias}.meeting_id"
    if how == "paragraph":
        return (
            f"JOIN meetings_paragraph p ON p.id = {alias}.paragraph_id "
            "JOIN meetings_meeting m ON m.id = p.meeting_id"
        )
    return (
        f"JOIN meetings_decision d ON d.id = {alias}.decision_id "
        "JOIN meetings_paragraph p ON p.id = d.paragraph_id "
        "JOIN meetings_meeting m ON m.id = p.meeting_id"
    )


def person_in_justerat_sql(person: str) -> str:
    """A condition, true when the person `person` (an SQL expression: OLD.id in the
    trigger, a parameter %s for the model) is named in a justerat protocol. Plain
    SQL, read alike by PostgreSQL and SQLite."""
    tests = []
    for table, columns in PERSON_COLUMNS.items():
        named = " OR ".join(f"t.{c} = {person}" for c in columns)
        if table == "meetings_meeting":
            tests.append(
                f"EXISTS (SELECT 1 FROM meetings_meeting t "
                f"WHERE t.justerat_at IS NOT NULL AND ({named}))"
            )
            continue
        joins = (
            meeting_of_sql(table, "t")
            if table in PART_TABLES
            else "JOIN meetings_meeting m ON m.id = t.meeting_id"
        )
        tests.append(
            f"EXISTS (SELECT 1 FROM {table} t {joins} "
            f"WHERE m.justerat_at IS NOT NULL AND ({named}))"
        )
    return "(" + "\n    OR ".join(tests) + ")"


def person_function() -> str:
    columns = ", ".join(f"NEW.{c}" for c in PERSON_FIELDS)
    before = ", ".join(f"OLD.{c}" for c in PERSON_FIELDS)
    return f"""
CREATE OR REPLACE FUNCTION paragraf_refuse_renaming() RETURNS trigger AS $$
BEGIN
  IF ({columns}) IS DISTINCT FROM ({before}) AND {person_in_justerat_sql("OLD.id")} THEN
    RAISE EXCEPTION 'person % is named in a justerat protocol and keeps that name', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


# The version a rättelse's approval answers, as meetings.actions.rattelse.text_hash makes it
# (a test holds the two equal).
RATTELSE_HASH_SQL = (
    "encode(sha256(convert_to(r.id::text || E'\\n' || coalesce(r.paragraph_id::text, '') "
    "|| E'\\n' || r.text, 'UTF8')), 'hex')"
)


def approval_function() -> str:
    return f"""
CREATE OR REPLACE FUNCTION paragraf_refuse_forged_approval() RETURNS trigger AS $$
DECLARE
  m meetings_meeting%ROWTYPE;
BEGIN
  SELECT * INTO m FROM meetings_meeting WHERE id = NEW.meeting_id;
  IF NEW.person_id IS DISTINCT FROM m.chair_id AND NOT EXISTS (
      SELECT 1 FROM meetings_justerare j
      WHERE j.meeting_id = m.id AND j.person_id = NEW.person_id) THEN
    RAISE EXCEPTION 'person % does not approve protocol %', NEW.person_id, m.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.rattelse_id IS NULL THEN
    IF m.justerat_at IS NOT NULL OR m.status <> '{APPROVAL_STATUS}' THEN
      RAISE EXCEPTION 'protocol % is not out for justering: no approval can be added', m.id
        USING ERRCODE = 'check_violation';
    END IF;
  ELSIF m.justerat_at IS NULL OR NEW.decision NOT IN ('godkant', 'andring') OR NOT EXISTS (
      SELECT 1 FROM meetings_rattelse r
      WHERE r.id = NEW.rattelse_id AND r.meeting_id = m.id AND r.approved_at IS NULL
        AND {RATTELSE_HASH_SQL} = NEW.content_hash) THEN
    RAISE EXCEPTION 'rättelse % does not await this approval', NEW.rattelse_id
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
  IF how LIKE 'once:%' AND old_row->>substr(how, 6) IS NULL THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF how = 'always' OR how LIKE 'once:%'
       OR EXISTS (SELECT 1 FROM meetings_meeting m
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

# Deferred to the commit: by then a draft deleted whole has taken its meeting row
# with its records; a record deleted alone finds its meeting still there.
WITH_MEETING_FUNCTION = """
CREATE OR REPLACE FUNCTION paragraf_deleted_with_meeting() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM meetings_meeting m WHERE m.id = OLD.meeting_id) THEN
    RAISE EXCEPTION '% is part of the archive and goes only with its meeting', TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

# The setting alone would let any role that may TRUNCATE empty the archive: the
# session must also be the table's owner's (pg_has_role is true for a superuser).
NO_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION paragraf_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF coalesce(current_setting('paragraf.maintenance', true), '') <> 'on'
     OR NOT pg_has_role(current_user,
                        (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID),
                        'MEMBER') THEN
    RAISE EXCEPTION '% holds the archive and cannot be truncated', TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def functions() -> dict[str, str]:
    """Each trigger function `install` writes, by name (tests/meetings/test_frozen.py
    compares them with the installed ones)."""
    return {
        "paragraf_refuse_frozen_meeting": meeting_function(),
        "paragraf_append_only": APPEND_ONLY_FUNCTION,
        "paragraf_deleted_with_meeting": WITH_MEETING_FUNCTION,
        "paragraf_refuse_truncate": NO_TRUNCATE_FUNCTION,
        "paragraf_refuse_forged_approval": approval_function(),
        "paragraf_refuse_renaming": person_function(),
    }


def install(schema_editor) -> None:
    """(Re)create the functions and triggers for the lists above (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    # A plain cursor: RAISE's % placeholders must not be taken for query parameters.
    with schema_editor.connection.cursor() as cursor:
        for sql in functions().values():
            cursor.execute(sql)
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
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_with_meeting ON {table}")
            if how == "with_meeting":
                cursor.execute(
                    f"CREATE CONSTRAINT TRIGGER {table}_with_meeting AFTER DELETE ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED "
                    "FOR EACH ROW EXECUTE FUNCTION paragraf_deleted_with_meeting()"
                )
        for table in NO_TRUNCATE:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION paragraf_refuse_truncate()"
            )
        cursor.execute("DROP TRIGGER IF EXISTS meetings_approval_forged ON meetings_approval")
        cursor.execute(
            "CREATE TRIGGER meetings_approval_forged BEFORE INSERT ON meetings_approval "
            "FOR EACH ROW EXECUTE FUNCTION paragraf_refuse_forged_approval()"
        )
        cursor.execute("DROP TRIGGER IF EXISTS members_person_renamed ON members_person")
        cursor.execute(
            "CREATE TRIGGER members_person_renamed BEFORE UPDATE ON members_person "
            "FOR EACH ROW EXECUTE FUNCTION paragraf_refuse_renaming()"
        )


def uninstall(schema_editor) -> None:
    """Back to the triggers of migration 0004."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in APPEND_ONLY:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_with_meeting ON {table}")
        for table in NO_TRUNCATE:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        cursor.execute("DROP TRIGGER IF EXISTS meetings_cosecretary_frozen ON meetings_cosecretary")
        cursor.execute("DROP TRIGGER IF EXISTS meetings_approval_forged ON meetings_approval")
        cursor.execute("DROP TRIGGER IF EXISTS members_person_renamed ON members_person")
        cursor.execute(
            "DROP FUNCTION IF EXISTS paragraf_append_only, paragraf_refuse_truncate, "
            "paragraf_deleted_with_meeting, paragraf_refuse_forged_approval, "
            "paragraf_refuse_renaming"
        )


def refuses_renaming(sender, person, **kwargs) -> bool:
    """The answer to members.models.renaming_asked: whether `person` is named in a
    justerat protocol and would change a name in PERSON_FIELDS (the same condition
    as the trigger's, for SQLite and for a clear message before the database's)."""
    stored = type(person).objects.filter(pk=person.pk).values(*PERSON_FIELDS).first()
    if stored is None or all(stored[f] == getattr(person, f) for f in PERSON_FIELDS):
        return False
    condition = person_in_justerat_sql("%s")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {condition}", [person.pk] * condition.count("%s"))
        return bool(cursor.fetchone()[0])
