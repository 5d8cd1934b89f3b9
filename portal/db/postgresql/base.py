"""Django's PostgreSQL backend with a health check that does not ask the server when it need not.

A kept connection (``DB_CONN_MAX_AGE``) is checked before a request uses it
(``CONN_HEALTH_CHECKS``), so that a PostgreSQL restarted meanwhile costs no request. Django checks
by sending ``SELECT 1``: a round trip on every request that touches the database, 14 % of the
statements PostgreSQL received under the load mix (bench/load.py) and about 0.1 ms of CPU each,
half of it the server's.

A session the server ended — a restart, ``pg_terminate_backend``, an idle timeout — says so on
the socket: the server writes its last message (``FATAL: terminating connection …``) and closes,
so the socket becomes readable. An idle session the server has not ended has nothing to read (the
portal never ``LISTEN``s). So the check first asks the socket, without waiting; only when something
is there does it send Django's ``SELECT 1``, which then meets the closed session and reports it. A
connection cut without a word (a network gone silent) is not seen by either check until a
statement waits for it; the request then fails as it did before (503, portal.web.middleware).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed:
            return False
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError):  # a descriptor already gone
            return False
        if not readable:
            return True
        return super().is_usable()
