"""Django's PostgreSQL backend, with a health check that costs no round trip.

A connection kept between requests (CONN_MAX_AGE) dies when the database restarts,
fails over or ends it: the next request on it would answer 500. Django's health
check (CONN_HEALTH_CHECKS) finds out by sending `SELECT 1` before each request's
first query, which on a page served from the page cache doubled the database work
of the request (bench/: half of a cached page's time). A connection the server ended
has the server's farewell waiting on its socket (the error "terminating connection"
and the end of the stream), and an idle healthy one has nothing to read: so the
check looks at the socket, without a query, and only a connection with something
waiting is closed (and reopened by the query that follows)."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if self.connection.closed or _something_waiting(self.connection):
            self.close()
        self.health_check_done = True


def _something_waiting(connection) -> bool:
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # the socket is gone already
        return True
    return bool(readable)
