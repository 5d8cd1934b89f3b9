"""Plans PostgreSQL should not choose for a statement, where its estimates mislead it.

PostgreSQL takes no hints; a planner setting changed for one transaction (``SET LOCAL``) is the
narrowest tool it offers."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def lookups_not_merges():
    """Join by looking rows up through an index, never by merging two ordered walks.

    For a list newest first filtered through another table (a department's applications through
    ``ConcernedDepartment``) PostgreSQL may walk the applications' primary key backwards in step with
    the other table's index (a merge join), counting on the department's rows being spread evenly
    among the newest. When they are not — a busy day of one item puts thousands of another
    department's applications on top — the walk reads all of those first: 20 ms, and growing with
    the day, where looking up the page's 51 applications one by one from the other index takes
    0.3 ms whatever lies between them (EXPLAIN ANALYZE at a million applications, BENCHMARKS.md
    "Lists at a million applications"). Here merge joins are off for the statements inside, in a
    transaction of their own (or the one around them, restored on the way out). Elsewhere than
    PostgreSQL, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_mergejoin = off")
        yield
        if not outermost:  # the enclosing transaction's later statements plan as before
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_mergejoin TO DEFAULT")
