"""Querysets compiled to SQL once per process, for the few statements nearly every request runs.

Django compiles a queryset to SQL anew on every evaluation: for a row read with its related
rows (``select_related``) that is most of the statement's cost in the web process — the token
of an API call with its user and staff profile, 0.5 of 1.1 ms; an application locked with its
service item, about a millisecond (bench.percall). The SQL of such a statement depends only on
its shape, never on the values looked up, so ``PreparedQuery`` compiles its shape once (on the
queryset's database; usable from any thread), keeps the SQL, the positions of the looked-up values
among the parameters and the compiler's description of the columns, and on each call sends the
same SQL with the new values and builds the model instances the way Django's own iterator does
(``ModelIterable``: related rows, converters — the same objects a plain evaluation gives).

A value of another type than declared (a text id from a URL, None) is not compiled: the call
evaluates the queryset the ordinary way, so lookups keep Django's own conversions and errors.
The shape is checked when it is compiled: each declared value must appear exactly once among
the parameters, unchanged (a lookup that transforms its value, ``__icontains`` say, is refused).

**On PostgreSQL the server prepares it too** (``DB_SERVER_PREPARE``, on by default): the first
call on a database session sends ``PREPARE portal_pq_N AS …`` (on the driver's own cursor, so it
is no query of the request's), every call ``EXECUTE portal_pq_N (values)``; the server then
parses and plans the statement once per session instead of on every call (the token's 0.55 ms
of server time fell to 0.19). The statement sent carries its SQL as a comment, so the slow-query
log, ``pg_stat_activity`` and a test reading the queries still see what it does. A new session
(a reconnection) prepares again: the set of prepared names is kept with the driver's connection
object it was prepared on.
"""

import copy
import itertools
import re
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.db.transaction import TransactionManagementError

_sample = itertools.count(2_100_000_001)  # values no lookup carries, within a 32-bit integer column's range
_names = itertools.count(1)


class _Compiled:
    def __init__(self, template: QuerySet, alias: str, compiler, sql: str, params: tuple, slots: list[int],
                 server_prepared: bool = True):
        self.template, self.alias, self.compiler = template, alias, compiler
        self.sql, self.params, self.slots = sql, params, slots
        self.for_update = template.query.select_for_update
        # The converters of the columns (Django works them out again for every evaluation: on a
        # row lock of some ninety columns, more CPU than the rest of reading the row).
        self.converters = compiler.get_converters([column for column, *_ in compiler.select[:compiler.col_count]])
        self.server_side = server_prepared and settings.DB_SERVER_PREPARE and compiler.connection.vendor == "postgresql"
        if self.server_side:
            self.server = _ServerStatement(sql, len(params))

    def statement(self, connection, params: tuple) -> tuple[str, tuple]:
        if not self.server_side:
            return self.sql, params
        return self.server.statement(connection), params


class _ServerStatement:
    """One SQL text (``%s`` per parameter, ``%%`` for a literal %) prepared by name on each session."""

    def __init__(self, sql: str, parameters: int):
        self.name = f"portal_pq_{next(_names)}"
        numbers = itertools.count(1)
        # Django's SQL has %s for each parameter and %% for a literal %; PREPARE wants $n.
        self.prepare_sql = f"PREPARE {self.name} AS " + "%".join(
            re.sub(r"%s", lambda _m: f"${next(numbers)}", part) for part in sql.split("%%"))
        readable = sql.replace("%", "%%").replace("*/", "* /")
        self.execute_sql = (f"EXECUTE {self.name} ({', '.join(['%s'] * parameters)}) /* {readable} */"
                            if parameters else f"EXECUTE {self.name} /* {readable} */")

    def statement(self, connection) -> str:
        """The EXECUTE to send on ``connection``, once the statement is prepared on its session."""
        with connection.cursor() as cursor:  # Django's health check and connect, then the driver's
            raw = connection.connection
            prepared = getattr(connection, "_portal_prepared", None)
            if prepared is None or prepared[0] is not raw:
                prepared = connection._portal_prepared = (raw, set())  # a new session: none prepared
            if self.name not in prepared[1]:
                with connection.wrap_database_errors:  # Django's errors (a server gone: 503), as any statement's
                    cursor.cursor.execute(self.prepare_sql)
                prepared[1].add(self.name)
        return self.execute_sql


# SQL written by hand → its statement prepared by name (a handful of shapes per process).
_by_sql: dict[str, _ServerStatement] = {}
_by_sql_lock = threading.Lock()


# Sent in the same message before an EXECUTE (``generic_plan``): PostgreSQL runs the message's
# statements as one transaction, so the setting holds for that EXECUTE only.
GENERIC_PLAN = "SET LOCAL plan_cache_mode = force_generic_plan; "


def prepared_sql(connection, sql: str, params: list, *, generic_plan: bool = False) -> tuple[str, list]:
    """What to send for SQL written by hand (``%s`` per parameter, ``%%`` for a literal %) whose
    text depends only on its shape: on PostgreSQL with ``DB_SERVER_PREPARE`` the ``EXECUTE`` of a
    statement prepared once per session, as for ``PreparedQuery``; else ``sql`` itself.

    ``generic_plan``: run it on the plan PostgreSQL makes once for any values, not on one planned
    anew for each call's values. The server chooses per call by its estimates; for a statement
    whose estimates mislead it (the supervisors' period statement: a custom plan looked far
    cheaper, and planning it was most of the statement's cost) the caller knows better. Only
    outside a transaction (``SET LOCAL`` in the same message then ends with the EXECUTE); inside
    one the server chooses as usual."""
    if not (settings.DB_SERVER_PREPARE and connection.vendor == "postgresql"):
        return sql, params
    server = _by_sql.get(sql)
    if server is None:
        with _by_sql_lock:
            server = _by_sql.get(sql) or _by_sql.setdefault(sql, _ServerStatement(sql, len(params)))
    statement = server.statement(connection)
    if generic_plan and connection.get_autocommit():
        statement = GENERIC_PLAN + statement
    return statement, params


class PreparedQuery:
    """``build(*values)`` → a queryset whose SQL is the same for all values of the declared
    ``types``; calling returns its rows as a list of model instances.

        token_with_profile = PreparedQuery(
            lambda key: Token.objects.select_related("user__staff_profile").filter(key=key)[:1], str)
        rows = token_with_profile(key)

    ``server_prepared=False``: the SQL is sent as it is (compiled once all the same), and the server
    plans it for each call's values. For a statement whose best plan depends on the values: after
    five calls PostgreSQL may settle on a plan made for any values, which for a list filtered by a
    partial index's condition cannot use that index (a reviewer's queue: 640 ms on that plan, 0.3 ms
    planned for its values).
    """

    def __init__(self, build: Callable[..., QuerySet], *types: type, server_prepared: bool = True):
        self.build, self.types, self.server_prepared = build, types, server_prepared
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    def __call__(self, *values) -> list:
        if not _of_types(values, self.types):
            return list(self.build(*values))
        compiled = self._compiled or self._compile()
        connection = connections[compiled.alias]
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = _with_values(compiled.params, compiled.slots, values)
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection  # this thread's connection, not the compiling one's
        compiler.as_sql = lambda *args, **kwargs: compiled.statement(connection, tuple(params))
        compiler.get_converters = lambda expressions: compiled.converters
        queryset = compiled.template._chain()
        queryset.query.get_compiler = lambda using=None, connection=None, elide_empty=True: compiler
        return list(queryset)

    def _compile(self) -> "_Compiled":
        with self._lock:
            if self._compiled is not None:
                return self._compiled
            samples = [kind(next(_sample)) for kind in self.types]
            template = self.build(*samples)
            alias = template.db
            compiler = template.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()  # FOR UPDATE outside a transaction: Django's own error
            slots = _slots("PreparedQuery", samples, params)
            self._compiled = _Compiled(template, alias, compiler, sql, tuple(params), slots, self.server_prepared)
            return self._compiled


def _of_types(values: tuple, types: tuple) -> bool:
    """Whether ``values`` are exactly of the declared ``types`` (a bool is no int here)."""
    return len(values) == len(types) and all(type(value) is kind for value, kind in zip(values, types))


def _slots(what: str, samples: list, params) -> list[int]:
    """The position of each sample value among a compiled statement's parameters (exactly one each)."""
    slots = []
    for sample in samples:
        found = [i for i, param in enumerate(params) if type(param) is type(sample) and param == sample]
        if len(found) != 1:
            raise ValueError(f"{what}: value {sample!r} appears {len(found)} times among the "
                             f"compiled parameters {params!r}; this shape cannot be prepared")
        slots.append(found[0])
    return slots


def _with_values(params: tuple, slots: list[int], values: tuple) -> list:
    """The compiled parameters with each call's value in its slot."""
    params = list(params)
    for index, position in enumerate(slots):
        params[position] = values[index]
    return params


class _Captured(Exception):
    """The statement a count sends, taken before it is sent (``PreparedCount._compile``)."""


class PreparedCount:
    """``build(*values).count()`` by SQL compiled once per process, as ``PreparedQuery`` does for
    rows: a list's bounded count of a page's rows (``queryset[:n].count()``) cost Django more
    CPU to compile than the page. The server is sent the SQL itself, planned on every call as
    Django's count is: a count over a filter whose selectivity depends on the values (a status)
    is where PostgreSQL's generic plan of a statement prepared by name goes wrong (the clerk's
    list's count of 'submitted' among a million applications: 0.2 ms planned for the value,
    240 ms on the generic plan).

        applications_counted = PreparedCount(lambda status: Application.objects.filter(status=status)[:1001], str)
        n = applications_counted("submitted")

    Django writes a count's statement only on its way to the database, so the shape is compiled
    by counting once with sample values and taking the statement from the driver's call (it is
    not sent); the values are then found among its parameters as ``PreparedQuery`` finds them."""

    def __init__(self, build: Callable[..., QuerySet], *types: type):
        self.build, self.types = build, types
        self._compiled: tuple[str, str, tuple, list[int]] | None = None
        self._lock = threading.Lock()

    def __call__(self, *values) -> int:
        if not _of_types(values, self.types):
            return self.build(*values).count()
        alias, sql, params, slots = self._compiled or self._compile()
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, _with_values(params, slots, values))
            return cursor.fetchone()[0]

    def _compile(self) -> tuple[str, str, tuple, list[int]]:
        with self._lock:
            if self._compiled is not None:
                return self._compiled
            samples = [kind(next(_sample)) for kind in self.types]
            template = self.build(*samples)
            captured = []

            def capture(execute, sql, params, many, context):
                captured.append((sql, tuple(params or ())))
                raise _Captured

            with connections[template.db].execute_wrapper(capture):
                try:
                    template.count()
                except _Captured:
                    pass
            [(sql, params)] = captured
            self._compiled = (template.db, sql, params, _slots("PreparedCount", samples, params))
            return self._compiled
