"""The database keeps the archive whatever bypasses the models (PostgreSQL): raw SQL
on a justerat protocol's records, TRUNCATE of its tables, and the installed triggers
match the one list in meetings/rules/frozen.py."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction

from meetings.actions import publication
from meetings.models import AuditEvent, Meeting
from meetings.rules import frozen

pytestmark = pytest.mark.postgres_only


def _refused(sql: str, params=(), match="archive|justerat") -> None:
    with (
        pytest.raises(IntegrityError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL paragraf.maintenance = 'off'")
        # The test's own inserts leave deferred checks pending, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meetings_archivedprotocol SET sha256 = repeat('0', 64) WHERE meeting_id = %s",
        "DELETE FROM meetings_archivedprotocol WHERE meeting_id = %s",
        "UPDATE meetings_publicprotocol SET content = '{}' WHERE meeting_id = %s",
        "DELETE FROM meetings_publicprotocol WHERE meeting_id = %s",
        "UPDATE meetings_approval SET content_hash = 'x' WHERE meeting_id = %s",
        "DELETE FROM meetings_approval WHERE meeting_id = %s",
        "UPDATE meetings_auditevent SET action = 'x' WHERE meeting_id = %s",
        "DELETE FROM meetings_auditevent WHERE meeting_id = %s",
        "UPDATE meetings_justerare SET person_id = person_id WHERE meeting_id = %s",
        'UPDATE meetings_justerare SET "order" = 7 WHERE meeting_id = %s',
        "DELETE FROM meetings_historicalparagraph WHERE meeting_id = %s",
        "UPDATE meetings_historicalparagraph SET title = 'x' WHERE meeting_id = %s",
    ],
)
def test_the_archive_refuses_raw_sql(justerat, sql):
    assert justerat.approvals.exists() and justerat.audit_events.exists()
    _refused(sql, [justerat.pk])


@pytest.mark.parametrize(
    "table",
    ["meetings_paragraph", "meetings_archivedprotocol", "meetings_auditevent", "meetings_meeting"],
)
def test_no_protocol_table_can_be_truncated(justerat, table):
    _refused(f"TRUNCATE {table} CASCADE", match="cannot be truncated")
    assert Meeting.objects.filter(pk=justerat.pk).exists()


def test_a_co_secretary_of_a_justerat_protocol_is_frozen(justerat, annica):
    from meetings.models import CoSecretary

    _refused(
        'INSERT INTO meetings_cosecretary (created, modified, meeting_id, person_id, "order") '
        "VALUES (now(), now(), %s, %s, 1)",
        [justerat.pk, annica.pk],
    )
    assert not CoSecretary.objects.filter(meeting=justerat).exists()


def test_what_the_app_does_still_passes(justerat, secretary):
    # Publishing moves the status; a deleted account leaves its records without a user.
    publication.publish(justerat, by=None)
    user_id = secretary.pk
    assert AuditEvent.objects.filter(meeting=justerat, user_id=user_id).exists()
    User.objects.filter(pk=user_id).delete()
    assert AuditEvent.objects.filter(meeting=justerat, user__isnull=True).exists()


def test_a_draft_and_its_records_can_still_be_deleted(drafted):
    drafted.paragraphs.all().delete()
    Meeting.objects.filter(pk=drafted.pk).delete()
    assert not Meeting.objects.filter(pk=drafted.pk).exists()


def test_the_installed_triggers_are_the_lists_of_meetings_frozen(db):
    """A change to meetings/rules/frozen.py needs a migration that calls install() again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(%s)",
            [list(frozen.functions())],
        )
        installed = dict(cursor.fetchall())
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal"
        )
        triggers = {(table, name) for table, name in cursor.fetchall()}
    for name, expected in frozen.functions().items():
        body = expected[expected.index("$$") + 2 : expected.rindex("$$")]
        assert installed[name].strip() == body.strip(), name
    assert {t for t, n in triggers if n.endswith("_frozen")} >= set(frozen.PART_TABLES)
    assert {t for t, n in triggers if n.endswith("_append_only")} == set(frozen.APPEND_ONLY)
    assert {t for t, n in triggers if n.endswith("_with_meeting")} == {
        t for t, (how, _, _) in frozen.APPEND_ONLY.items() if how == "with_meeting"
    }
    assert {t for t, n in triggers if n.endswith("_no_truncate")} == set(frozen.NO_TRUNCATE)
    assert {
        ("meetings_approval", "meetings_approval_forged"),
        ("members_person", "members_person_renamed"),
    } <= triggers
