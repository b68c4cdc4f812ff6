import datetime

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count

from meetings import demo
from meetings.models import ArchivedProtocol, Meeting
from tests.conftest import can_log_in
from tests.factories import row_counts

TODAY = datetime.date(2026, 11, 23)


def test_seed_demo_twice_creates_nothing_the_second_time(db, capsys):
    call_command("seed_demo")
    first = row_counts("auth", "members", "meetings")

    call_command("seed_demo")

    assert row_counts("auth", "members", "meetings") == first
    assert first["meetings.Meeting"] == 16
    out = capsys.readouterr().out
    assert "norralv" in out
    assert out.count("norralv") == 2


def test_without_a_password_the_demo_accounts_cannot_log_in(db):
    demo.seed()

    assert not can_log_in("admin", "")
    assert not User.objects.get(username="admin").has_usable_password()


def test_the_demo_command_justeras_all_but_the_latest_protocols(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    call_command("seed_demo", "--password", "demo")

    statuses = dict(
        Meeting.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert statuses == {"publicerat": 12, "under_justering": 1, "genomfort": 1, "kallat": 2}
    waiting = Meeting.objects.get(status="under_justering")
    assert waiting.approvals.count() == 1
    assert can_log_in("marialindqvist", "demo")
    assert ArchivedProtocol.objects.count() == 12
