"""The freeze's gaps closed (issue 27, item 10; meetings/rules/frozen.py): an approval only
while it is awaited, a published protocol's day, the names a justerat protocol
names, an approved rättelse and the audit trail, through the models (both
databases) and, on PostgreSQL, through raw SQL and queryset.update(); and an app
role that owns no table can neither empty the archive nor switch its triggers off."""

import datetime
import os
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from meetings.actions import justering, publication, rattelse, services
from meetings.models import Approval, AuditEvent, Meeting, NotNow, ProtocolFrozen, Rattelse
from meetings.rules import frozen
from members.models import Person
from tests import factories

postgres_only = pytest.mark.postgres_only


@pytest.fixture
def out(drafted, annica, secretary):
    """The example's protocol, out for justering to the chair and Annica."""
    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=secretary, notify=False
    )
    drafted.refresh_from_db()
    return drafted


@pytest.fixture
def pending(justerat, secretary):
    return rattelse.propose(
        justerat, text="Rätt datum är 2021-10-08.", paragraph=None, by=secretary
    )


@pytest.fixture
def approved(pending, fredrik, annica):
    for person in (fredrik, annica):
        person.refresh_from_db()
        rattelse.approve(pending, person, user=person.user)
    pending.refresh_from_db()
    assert pending.approved_at is not None
    return pending


def _approval(meeting, person, **fields) -> Approval:
    return Approval(meeting=meeting, person=person, decision=Approval.Decision.GODKANT, **fields)


REFUSED = "archive|justerat|justering|published|name|approv|rättelse|truncated"


def _refused_sql(sql: str, params=(), match=REFUSED) -> None:
    with (
        pytest.raises(IntegrityError, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


# Approvals: only while awaited, by an approver, of the version read.


def test_an_approval_of_a_justerat_protocol_is_refused(justerat, fredrik):
    forged = _approval(justerat, fredrik, content_hash=justering.content_hash(justerat))
    with pytest.raises(NotNow):
        forged.save()
    assert justerat.approvals.filter(rattelse=None).count() == 2


def test_an_approval_of_another_version_or_by_someone_else_is_refused(out, fredrik, bengt):
    with pytest.raises(NotNow):
        _approval(out, fredrik, content_hash="0" * 64).save()
    with pytest.raises(NotNow):
        _approval(out, bengt, content_hash=justering.content_hash(out)).save()
    assert not out.approvals.exists()
    _approval(out, fredrik, content_hash=justering.content_hash(out)).save()  # as approve()


def test_an_approval_of_an_approved_rattelse_is_refused(approved, fredrik):
    late = _approval(
        approved.meeting, fredrik, rattelse=approved, content_hash=rattelse.text_hash(approved)
    )
    with pytest.raises(NotNow):
        late.save()
    assert approved.approvals.count() == 2


INSERT_APPROVAL = (
    "INSERT INTO meetings_approval (created, modified, meeting_id, person_id, decision, "
    "content_hash, content, reason, evidence, rattelse_id) "
    "VALUES (now(), now(), %s, %s, 'godkant', %s, '', '', '{}', %s)"
)


@postgres_only
def test_the_database_refuses_an_approval_after_the_fact(approved, fredrik):
    justerat = approved.meeting
    _refused_sql(INSERT_APPROVAL, [justerat.pk, fredrik.pk, justering.content_hash(justerat), None])
    _refused_sql(
        INSERT_APPROVAL, [justerat.pk, fredrik.pk, rattelse.text_hash(approved), approved.pk]
    )


@postgres_only
def test_the_database_refuses_an_approval_of_another_text(pending, fredrik):
    _refused_sql(INSERT_APPROVAL, [pending.meeting_id, fredrik.pk, "0" * 64, pending.pk])
    with connection.cursor() as cursor:  # the text awaiting approval, as the app writes it
        cursor.execute(
            INSERT_APPROVAL,
            [pending.meeting_id, fredrik.pk, rattelse.text_hash(pending), pending.pk],
        )


@postgres_only
def test_the_database_refuses_an_approval_by_someone_else(out, fredrik, bengt):
    _refused_sql(INSERT_APPROVAL, [out.pk, bengt.pk, justering.content_hash(out), None])
    # What the app writes still passes: an answer to a protocol out for justering.
    with connection.cursor() as cursor:
        cursor.execute(INSERT_APPROVAL, [out.pk, fredrik.pk, justering.content_hash(out), None])


@postgres_only
def test_the_database_hashes_a_rattelse_as_the_app_does(pending):
    pending.text = "Rättelse: 2021-10-08, inte 2021-10-01.\nÅ ä ö."
    pending.save()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {frozen.RATTELSE_HASH_SQL} FROM meetings_rattelse r WHERE r.id = %s",
            [pending.pk],
        )
        assert cursor.fetchone()[0] == rattelse.text_hash(pending)


# A published protocol's day.


def test_a_published_protocol_keeps_its_day_and_status(justerat):
    publication.publish(justerat, by=None)
    justerat.refresh_from_db()
    for field, value in (
        ("publish_on", timezone.localdate() + datetime.timedelta(days=1)),
        ("publish_on", timezone.localdate() - datetime.timedelta(days=30)),
        ("day_suffix", 2),
        ("status", Meeting.Status.JUSTERAT),
    ):
        meeting = Meeting.objects.get(pk=justerat.pk)
        setattr(meeting, field, value)
        with pytest.raises(ProtocolFrozen):
            meeting.save()
    assert Meeting.objects.get(pk=justerat.pk).publish_on == timezone.localdate()


def test_a_scheduled_publication_moves_until_its_day_but_not_into_the_past(justerat):
    today = timezone.localdate()
    publication.publish(justerat, on=today + datetime.timedelta(days=3), by=None)
    justerat.publish_on = today + datetime.timedelta(days=5)
    justerat.save()
    justerat.publish_on = today - datetime.timedelta(days=1)
    with pytest.raises(ProtocolFrozen):
        justerat.save()


def test_a_justerat_protocol_is_first_published_on_a_day_not_passed(justerat):
    justerat.publish_on = timezone.localdate() - datetime.timedelta(days=21)
    with pytest.raises(ProtocolFrozen):
        justerat.save()


@postgres_only
def test_the_database_keeps_a_published_protocols_day(justerat):
    today = timezone.localdate()
    publication.publish(justerat, on=today + datetime.timedelta(days=3), by=None)
    later = Meeting.objects.filter(pk=justerat.pk)
    later.update(publish_on=today + datetime.timedelta(days=1))  # a scheduled day moves
    with pytest.raises(IntegrityError, match="published"), transaction.atomic():
        later.update(publish_on=today - datetime.timedelta(days=1))
    later.update(publish_on=today)  # reached: published
    for sql in (
        "UPDATE meetings_meeting SET publish_on = publish_on + 7 WHERE id = %s",
        "UPDATE meetings_meeting SET publish_on = publish_on - 30 WHERE id = %s",
        "UPDATE meetings_meeting SET publish_on = NULL WHERE id = %s",
        "UPDATE meetings_meeting SET day_suffix = 2 WHERE id = %s",
    ):
        _refused_sql(sql, [justerat.pk])
    publication.publish_due(today)  # the status moves on to publicerat …
    with pytest.raises(IntegrityError, match="published"), transaction.atomic():
        later.update(status=Meeting.Status.JUSTERAT)  # … and stays there


# The names a justerat protocol names.


def test_a_person_named_in_a_justerat_protocol_keeps_the_name(justerat, annica, bengt):
    annica.name = "Annica Andersson"
    with pytest.raises(ValidationError) as refused:
        annica.clean()
    assert list(refused.value.message_dict) == ["name"]
    with pytest.raises(PermissionDenied):
        annica.save()
    annica.refresh_from_db()
    annica.email = "annica.ny@example.se"  # what the protocol does not name may change
    annica.save()
    assert Person.objects.get(pk=annica.pk).name == "Annica Alatalo"


def test_a_person_in_no_justerat_protocol_can_be_renamed(drafted, bengt, organisation):
    bengt.name = "Bengt-Åke Strand Lindqvist"  # present at a meeting not justerat yet
    bengt.clean()
    bengt.save()
    newcomer = factories.person(organisation, "Nils Nyman")
    newcomer.name = "Nils Nymann"
    newcomer.save()
    assert (
        Person.objects.filter(name__in=["Bengt-Åke Strand Lindqvist", "Nils Nymann"]).count() == 2
    )


@postgres_only
def test_the_database_keeps_the_names_a_justerat_protocol_names(
    justerat, annica, fredrik, asa, bengt
):
    # Justerare, chair (and approver), secretary, present member.
    for person in (annica, fredrik, asa, bengt):
        _refused_sql("UPDATE members_person SET name = name || ' X' WHERE id = %s", [person.pk])
        with pytest.raises(IntegrityError, match="name"), transaction.atomic():
            Person.objects.filter(pk=person.pk).update(name="Någon annan")
    Person.objects.filter(pk=annica.pk).update(email="annica.ny@example.se")


# An approved rättelse.


def test_an_approved_rattelse_never_changes(approved, pending):
    for field, value in (
        ("text", "Något annat."),
        ("sha256", "0" * 64),
        ("approved_at", timezone.now()),
    ):
        correction = Rattelse.objects.get(pk=approved.pk)
        setattr(correction, field, value)
        with pytest.raises(ProtocolFrozen):
            correction.save()
    with pytest.raises(ProtocolFrozen):
        Rattelse.objects.get(pk=approved.pk).delete()


def test_a_rattelse_not_yet_approved_may_still_be_written(pending):
    pending.text = "Rätt datum är 2021-10-09."
    pending.save()
    assert Rattelse.objects.get(pk=pending.pk).text == "Rätt datum är 2021-10-09."


@postgres_only
def test_the_database_keeps_an_approved_rattelse(approved):
    for sql in (
        "UPDATE meetings_rattelse SET text = 'x' WHERE id = %s",
        "UPDATE meetings_rattelse SET public_sha256 = repeat('0', 64) WHERE id = %s",
        "UPDATE meetings_rattelse SET approved_at = NULL WHERE id = %s",
        "DELETE FROM meetings_rattelse WHERE id = %s",
    ):
        _refused_sql(sql, [approved.pk])
    with pytest.raises(IntegrityError, match="archive"), transaction.atomic():
        Rattelse.objects.filter(pk=approved.pk).update(text="x")


# The audit trail of any meeting.


def test_an_audit_event_of_a_draft_never_changes_nor_goes_alone(drafted):
    event = AuditEvent.objects.filter(meeting=drafted).first()
    action, event.action = event.action, "x"
    with pytest.raises(ProtocolFrozen):
        event.save()
    with pytest.raises(ProtocolFrozen):
        AuditEvent.objects.get(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == action


def test_a_draft_deleted_whole_takes_its_audit_trail(drafted):
    pk = drafted.pk
    assert AuditEvent.objects.filter(meeting_id=pk).exists()
    drafted.paragraphs.all().delete()
    Meeting.objects.get(pk=pk).delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the check at commit, now
    assert not AuditEvent.objects.filter(meeting_id=pk).exists()


@postgres_only
def test_the_database_keeps_the_audit_trail_of_a_draft(drafted):
    _refused_sql("UPDATE meetings_auditevent SET action = 'x' WHERE meeting_id = %s", [drafted.pk])
    _refused_sql("DELETE FROM meetings_auditevent WHERE meeting_id = %s", [drafted.pk])
    with pytest.raises(IntegrityError, match="archive"), transaction.atomic():
        AuditEvent.objects.filter(meeting=drafted).update(details={"x": 1})


# The app's role, which owns no table (README: in production).


@pytest.fixture
def app_role(db):
    """A role with only the grants the README gives the app: DML on the tables, the
    sequences. Created in the test's transaction, so rolled back with it; dropped at
    the end all the same."""
    name = f"paragraf_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}"
        )
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")
    yield name
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


@contextmanager
def acting_as(role: str):
    """As `role`, within the caller's atomic block: on an error its rollback ends
    the SET ROLE too (a failed transaction would refuse a RESET)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")
        yield cursor
        cursor.execute("RESET ROLE")


def _refused_as(role: str, sql: str, params=(), error=DatabaseError, match=REFUSED) -> None:
    with pytest.raises(error, match=match), transaction.atomic(), acting_as(role) as cursor:
        cursor.execute("SET LOCAL paragraf.maintenance = 'on'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


@postgres_only
def test_the_app_role_cannot_empty_the_archive_or_switch_its_triggers_off(app_role, justerat):
    _refused_as(app_role, "TRUNCATE meetings_auditevent CASCADE", match="permission denied")
    with connection.cursor() as cursor:  # even given TRUNCATE, the switch is not its own
        cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {app_role}")
    _refused_as(app_role, "TRUNCATE meetings_auditevent CASCADE", match="cannot be truncated")
    for table in ("meetings_auditevent", "meetings_meeting", "members_person"):
        _refused_as(app_role, f"ALTER TABLE {table} DISABLE TRIGGER USER", match="owner")
    assert AuditEvent.objects.filter(meeting=justerat).exists()


@postgres_only
def test_the_app_role_cannot_make_the_listed_changes(app_role, justerat, annica, fredrik):
    publication.publish(justerat, by=None)
    for sql, params in (
        ("UPDATE meetings_meeting SET publish_on = publish_on - 30 WHERE id = %s", [justerat.pk]),
        ("UPDATE members_person SET name = 'X' WHERE id = %s", [annica.pk]),
        ("UPDATE meetings_auditevent SET action = 'x' WHERE meeting_id = %s", [justerat.pk]),
        (
            "INSERT INTO meetings_approval (created, modified, meeting_id, person_id, decision, "
            "content_hash, content, reason) VALUES (now(), now(), %s, %s, 'godkant', 'x', '', '')",
            [justerat.pk, fredrik.pk],
        ),
    ):
        _refused_as(app_role, sql, params, error=IntegrityError)


@postgres_only
def test_the_app_role_can_do_the_apps_work(app_role, planned):
    with transaction.atomic(), acting_as(app_role):
        services.add_item(planned, section="beslut", title="Budget 2022")
    assert planned.paragraphs.filter(title="Budget 2022").exists()


@postgres_only
def test_check_deploy_warns_when_the_app_owns_the_tables(app_role, settings):
    from meetings.checks import app_role_owns_no_table

    settings.DEBUG = False
    assert app_role_owns_no_table(databases=None) == []  # a plain check asks no database
    # The suite runs as the superuser that owns the tables.
    assert [w.id for w in app_role_owns_no_table(databases=["default"])] == ["paragraf.W003"]
    with transaction.atomic(), acting_as(app_role):
        assert app_role_owns_no_table(databases=["default"]) == []
