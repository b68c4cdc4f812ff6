"""`manage.py seed_demo` as `make run` calls it, run once for this module on a fixed
day (the statuses depend on where the day falls in the demo's year): seeding is the
slowest thing a test can do, so both tests read the one seeded demo."""

import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.db.models import Count

from meetings.models import ArchivedProtocol, Meeting
from tests.conftest import can_log_in, shared_rows
from tests.factories import row_counts

TODAY = datetime.date(2026, 11, 23)


def _seed_on_a_fixed_day() -> str:
    out = io.StringIO()
    with mock.patch("django.utils.timezone.localdate", lambda *a, **k: TODAY):
        call_command("seed_demo", "--password", "demo", stdout=out)
    return out.getvalue()


_seeded_built, seeded = shared_rows("seeded", _seed_on_a_fixed_day)


def test_seed_demo_twice_creates_nothing_the_second_time(seeded):
    first = row_counts("auth", "members", "meetings")
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert row_counts("auth", "members", "meetings") == first
    assert first["meetings.Meeting"] == 16
    assert seeded == "Demodata skapade: norralv.\n"
    assert out.getvalue() == "Demodata finns redan (norralv); inget har ändrats.\n"


def test_the_demo_command_justeras_all_but_the_latest_protocols(seeded):
    statuses = dict(
        Meeting.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    assert statuses == {"publicerat": 12, "under_justering": 1, "genomfort": 1, "kallat": 2}
    waiting = Meeting.objects.get(status="under_justering")
    assert waiting.approvals.count() == 1
    assert can_log_in("marialindqvist", "demo")
    assert ArchivedProtocol.objects.count() == 12
