"""A database restart (or a failover, or an idle connection cut by a firewall)
kills the connections the app servers keep between requests: the next request of
every worker must reconnect, not answer 500 (connections are health-checked before
reuse, minutes_site/settings.py)."""

import time

import pytest
from django.db import connection

from tests.deployment.nodes import Browser, Node, environment

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _terminate_the_apps_connections() -> int:
    """Ends the app's connections and waits until their server processes are gone:
    pg_terminate_backend only signals them, and a request sent before a process has
    said its farewell on the socket finds nothing to tell it the connection ended
    (the race made this test fail now and then). A restart or failover the check is
    for has ended its connections before anyone reconnects."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = cursor.fetchone()[0] or []
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM unnest(%s) AS pid", [pids])
        ended = cursor.fetchone()[0]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [pids])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.05)
        return ended


def test_every_request_answers_after_the_apps_connections_are_killed(tmp_path, organisation):
    node = Node(
        environment(tmp_path, PUBLIC_PAGE_CACHE_SECONDS="0"),
        workers=2,
    )
    try:
        browser = Browser()
        # Each worker opens its connection and keeps it (a few requests reach both).
        before = [browser.get(f"{node.url}/{organisation.slug}/").status for _ in range(6)]
        assert _terminate_the_apps_connections() >= 1

        after = [browser.get(f"{node.url}/{organisation.slug}/").status for _ in range(6)]
    finally:
        node.stop()

    assert before == [200] * 6
    assert after == [200] * 6
