"""The suite's test databases are built from the models, not through the migrations
(``--nomigrations`` in pyproject.toml: 92 migrations cost each xdist worker 18 s of CPU before its
first test, the models' tables under one). That is only honest while the migrations build the same
schema. This test holds them to it: it builds a fresh database with ``manage.py migrate``, as
production does, and compares it with the model-built database the tests run on — every table,
every column (type, length, nullability, default, identity), every constraint and index by name and
definition, views, functions, triggers and sequences. A migration that drifts from its model (a
hand-written ``RunSQL``, a ``SeparateDatabaseAndState``, a field changed without its migration's
index) fails here; ``makemigrations --check`` in ``make check`` only compares Django's own idea of
the two."""

import os
import subprocess
import sys

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.heavy(seconds=60)]

CATALOGUE = {
    "tables": """SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public'""",
    "columns": """SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,
                         numeric_scale, datetime_precision, is_nullable, column_default, is_identity,
                         identity_generation, collation_name
                  FROM information_schema.columns WHERE table_schema = 'public'""",
    "constraints": """SELECT c.conrelid::regclass::text, c.contype, c.conname, pg_get_constraintdef(c.oid),
                             c.condeferrable, c.condeferred
                      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                      WHERE n.nspname = 'public'""",
    "indexes": """SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'""",
    "sequences": """SELECT sequence_name, data_type, increment FROM information_schema.sequences
                    WHERE sequence_schema = 'public'""",
    "views": """SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = 'public'""",
    "functions": """SELECT p.proname, pg_get_function_identity_arguments(p.oid)
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'""",
    "triggers": """SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger
                   WHERE NOT tgisinternal""",
    "extensions": """SELECT extname FROM pg_extension""",
}

# Where a model-built database differs from a migrated one by Django's own doing, not ours:
# the migrations' bookkeeping table, and the id of the auth app's three many-to-many tables
# (created by auth's 0001 migration as bigint under DEFAULT_AUTO_FIELD; built from the models,
# Django gives an auto-created join table its app's AutoField, integer).
ONLY_MIGRATED = {
    ("tables", ("django_migrations", "BASE TABLE")),
    ("constraints", ("django_migrations", "p", "django_migrations_pkey", "PRIMARY KEY (id)", False, False)),
    ("indexes", ("django_migrations", "django_migrations_pkey",
                 "CREATE UNIQUE INDEX django_migrations_pkey ON public.django_migrations USING btree (id)")),
}
ONLY_MIGRATED_COLUMNS = {"django_migrations"}
AUTH_JOIN_TABLES = {"auth_group_permissions", "auth_user_groups", "auth_user_user_permissions"}


def _schema(cursor) -> set[tuple]:
    found = set()
    for kind, sql in CATALOGUE.items():
        cursor.execute(sql)
        found |= {(kind, tuple(row)) for row in cursor.fetchall()}
    return found


def _known_difference(entry) -> bool:
    kind, row = entry
    if entry in ONLY_MIGRATED or (kind == "columns" and row[0] in ONLY_MIGRATED_COLUMNS):
        return True
    return kind == "columns" and row[0] in AUTH_JOIN_TABLES and row[1] == "id" and row[2] in ("integer", "bigint")


@pytest.fixture
def migrated_database():
    """A new, empty database beside the test database, built by ``manage.py migrate`` in a process
    of its own (the real migration modules, as production runs them); dropped afterwards."""
    params = connection.settings_dict
    name = f"{params['NAME']}_migrated"
    server = dict(host=params["HOST"] or None, port=params["PORT"] or None, user=params["USER"],
                  password=params["PASSWORD"] or None)
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@{params['HOST'] or 'localhost'}:" \
              f"{params['PORT'] or 5432}/{name}"
        done = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=settings.BASE_DIR,
                              env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        migrated = psycopg2.connect(dbname=name, **server)
        try:
            yield migrated
        finally:
            migrated.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_the_migrations_build_the_schema_the_tests_run_on(migrated_database):
    with connection.cursor() as cursor:
        tested = _schema(cursor)
    with migrated_database.cursor() as cursor:
        migrated = _schema(cursor)
    assert len({row for kind, row in tested if kind == "tables"}) > 50  # the portal's tables, not an empty schema
    only_migrated = sorted(entry for entry in migrated - tested if not _known_difference(entry))
    only_tested = sorted(entry for entry in tested - migrated if not _known_difference(entry))
    assert not only_migrated and not only_tested, \
        "the migrations and the models disagree (run makemigrations, or fix the migration):\n" \
        f"only after migrate: {only_migrated}\nonly from the models: {only_tested}"
